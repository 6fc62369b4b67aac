// The pairing page of `serve --lan`: sends the code, then opens the page. A QR code carries the
// code in the fragment (#code=...), which browsers never send to a server or put in a Referer.
'use strict';

async function pair(code) {
  const error = document.getElementById('pair-error');
  const input = document.getElementById('pair-code');
  error.textContent = '';
  input.removeAttribute('aria-invalid');
  let res;
  try {
    res = await fetch('/api/pair', {
      method: 'POST',
      headers: {'Content-Type': 'application/json'},
      body: JSON.stringify({code}),
    });
  } catch (e) {
    error.textContent = 'The server did not answer. Is mgadvisor serve --lan still running?';
    return;
  }
  if (res.ok) {
    location.replace('/');
    return;
  }
  let message = 'Pairing failed.';
  try {
    message = (await res.json()).error.message.replace(/^code: /, '');
  } catch (e) {
    // Keep the general message.
  }
  error.textContent = message.charAt(0).toUpperCase() + message.slice(1) + '.';
  input.setAttribute('aria-invalid', 'true');
  input.focus();
}

document.addEventListener('DOMContentLoaded', () => {
  const form = document.getElementById('pair-form');
  const input = document.getElementById('pair-code');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    pair(input.value.trim());
  });
  const match = /(?:^#|&)code=([A-Za-z0-9-]+)/.exec(location.hash);
  if (match) {
    input.value = match[1];
    history.replaceState(null, '', '/pair');  // The code is spent; keep it out of history.
    pair(match[1]);
  }
});
