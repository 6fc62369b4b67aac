// The visit summary's one button: the browser's print dialog, where "Save as PDF" is a choice.
// A script file, not an onclick attribute: the server's Content-Security-Policy allows no inline
// script.
document.getElementById('print')?.addEventListener('click', () => window.print());
