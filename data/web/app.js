// mgadvisor page: plain JS over the JSON API (docs/API.md). Nothing is fetched from outside this
// server, so the page works offline. Text from the API is always inserted as text (never as HTML);
// the only markup taken from the server is the trial report's SVG charts, which the server draws.
'use strict';

const state = {
  mode: 'local',
  csrf: null,
  citations: new Map(),
  conditions: [],
  today: null,  // The server's today (from /api/intake), so MGADVISOR_TODAY and time zones agree.
  hasProfile: false,
  plan: null,  // The stored profile's plan (POST /api/plan), for the Today view.
  openEditor: false,  // "Edit profile" was chosen from Today: open the form on arrival.
  step: 0,  // First use: the profile form's step (1-4); 0 for the whole form.
};

const SECTIONS = ['today', 'plan', 'foods', 'symptoms', 'trial', 'check', 'account'];

// Dietary exclusions the profile accepts (data/foods/exclusions.toml ids).
const EXCLUSIONS = [
  ['vegan', 'Vegan'], ['vegetarian', 'Vegetarian'], ['pescatarian', 'Pescatarian'],
  ['nut_allergy', 'Nut allergy'], ['peanut_allergy', 'Peanut allergy'],
  ['dairy_free', 'Dairy-free'], ['egg_allergy', 'Egg allergy'], ['fish_allergy', 'Fish allergy'],
  ['shellfish_allergy', 'Shellfish allergy'], ['gluten_free', 'Gluten-free'],
  ['soy_allergy', 'Soy allergy'], ['sesame_allergy', 'Sesame allergy'],
];

// ---------------------------------------------------------------------------------------------
// Small helpers

const $ = (id) => document.getElementById(id);

// Builds an element; children are nodes or strings (inserted as text).
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') node.className = value;
    else if (key === 'text') node.textContent = value;
    // Through the CSSOM: the Content-Security-Policy (style-src 'self') refuses style attributes.
    else if (key === 'style') node.style.cssText = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child instanceof Node ? child : String(child));
  return node;
}

function fmtMg(value) {
  if (value === null || value === undefined) return '—';
  return `${Math.round(value)} mg`;
}

function words(id) {
  return String(id || '').replace(/_/g, ' ');
}

function addDays(isoDate, days) {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// Calls the API. Resolves to {ok, status, data}; data.error = {code, message} on failure.
async function api(method, path, body) {
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch (e) {
    return {ok: false, status: 0,
            data: {error: {code: 'network', message: `cannot reach the server (${e.message})`}}};
  }
  let data = null;
  const text = await response.text();
  try {
    data = text ? JSON.parse(text) : null;
  } catch (e) {
    data = {error: {code: 'bad_response', message: `${method} ${path}: not JSON`}};
  }
  if (!response.ok && !(data && data.error)) {
    data = {error: {code: String(response.status), message: `${method} ${path}: ${text}`}};
  }
  if (response.status === 401 && state.mode === 'multi' && !path.startsWith('/api/session')) {
    showSignedOut();
  }
  return {ok: response.ok, status: response.status, data};
}

function errorText(result) {
  const e = result.data && result.data.error;
  return e ? e.message : `request failed (${result.status})`;
}

function setGlobalStatus(message) {
  $('global-status').textContent = message || '';
}

// Marks a form busy while a request runs so a double click cannot send it twice.
async function busy(form, work) {
  const button = form.querySelector('button[type="submit"]');
  if (button) button.disabled = true;
  try {
    return await work();
  } finally {
    if (button) button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Navigation: hash routes, one section shown at a time.

// A returning person lands on Today; a first visit on the profile form.
function currentSection() {
  const name = location.hash.replace(/^#/, '');
  const home = state.hasProfile ? 'today' : 'plan';
  if (name === 'account' && state.mode !== 'multi') return home;
  return SECTIONS.includes(name) ? name : home;
}

function showSection(focus) {
  if (!$('auth').hidden) return;
  const name = currentSection();
  for (const id of SECTIONS) $(id).hidden = id !== name;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.getAttribute('href') === `#${name}`) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (focus) {
    const heading = $(`${name}-title`);
    if (heading) heading.focus();
  }
  if (name === 'today') refreshToday();
  if (name === 'plan' && state.openEditor) {
    state.openEditor = false;
    showProfileEditor(true);
  }
  if (name === 'foods') refreshIntake().then(refreshDiary);
  if (name === 'symptoms') refreshEntries();
  if (name === 'trial') refreshTrial();
  if (name === 'account') refreshShares();
}

// ---------------------------------------------------------------------------------------------
// Multi-user mode: session, sign in / up, sign out, delete account.

function showSignedOut() {
  state.csrf = null;
  $('auth').hidden = false;
  $('user-bar').hidden = true;
  $('nav').hidden = true;
  for (const id of SECTIONS) $(id).hidden = true;
}

async function showSignedIn(session) {
  state.csrf = session.csrf_token;
  $('user-name').textContent = session.user ? session.user.username : '';
  $('user-bar').hidden = false;
  $('auth').hidden = true;
  $('nav').hidden = false;
  $('nav-account').hidden = false;
  await loadProfile();
  showSection(false);
}

async function authSubmit(form, path, errorId) {
  const username = form.querySelector('input[name="username"]').value.trim();
  const password = form.querySelector('input[name="password"]').value;
  $(errorId).textContent = '';
  const body = {username, password};
  const invitation = form.querySelector('input[name="invitation"]');
  if (invitation && invitation.value.trim() !== '') body.invitation = invitation.value.trim();
  const result = await api('POST', path, body);
  if (!result.ok) {
    $(errorId).textContent = errorText(result);
    return;
  }
  form.reset();
  await showSignedIn(result.data);
}

// The token of a password-reset link (https://HOST/#reset=TOKEN), or ''. In the fragment, so it
// never reaches the server's or a proxy's log.
function resetToken() {
  return location.hash.startsWith('#reset=') ? decodeURIComponent(location.hash.slice(7)) : '';
}

// The sign-up form as the server's --signup allows: with an invitation field, or not at all.
function applySignupMode(mode) {
  $('sign-up-form').hidden = mode === 'closed';
  $('su-invitation-field').hidden = mode !== 'invite';
  $('reset-form').hidden = resetToken() === '';
}

function setUpAccounts() {
  $('sign-in-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.target, () => authSubmit(event.target, '/api/session', 'si-error'));
  });
  $('sign-up-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.target, () => authSubmit(event.target, '/api/account', 'su-error'));
  });
  // A reset link opened in a tab that already shows the page changes only the fragment.
  window.addEventListener('hashchange', () => {
    if (state.mode === 'multi') $('reset-form').hidden = resetToken() === '';
  });
  $('reset-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.target, async () => {
      $('rp-error').textContent = '';
      const token = resetToken();
      const result = await api('POST', '/api/account/password',
                               {token, password: $('rp-password').value});
      if (!result.ok) {
        $('rp-error').textContent = errorText(result);
        return;
      }
      event.target.reset();
      event.target.hidden = true;
      // The token is used up: keep it out of the address bar and the history.
      history.replaceState(null, '', location.pathname + location.search);
      $('si-username').value = result.data.user ? result.data.user.username : '';
      $('si-error').textContent = 'Your new password is set: sign in with it.';
    });
  });
  $('sign-out').addEventListener('click', async () => {
    const result = await api('DELETE', '/api/session');
    if (!result.ok) {
      setGlobalStatus(`Sign out failed: ${errorText(result)}`);
      return;
    }
    clearPersonalViews();
    showSignedOut();
  });
  $('share-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.target, async () => {
      $('share-error').textContent = '';
      const clinician = $('share-clinician').value.trim();
      if (clinician === '') {
        $('share-error').textContent = "The clinician's account name: required.";
        return;
      }
      const result = await api('POST', '/api/shares', {clinician});
      if (!result.ok) {
        $('share-error').textContent = errorText(result);
        return;
      }
      event.target.reset();
      setGlobalStatus(`${clinician} can now read your journal.`);
      await refreshShares();
    });
  });
  $('password-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.target, async () => {
      $('pw-error').textContent = '';
      for (const id of ['pw-current', 'pw-new']) $(id).removeAttribute('aria-invalid');
      const result = await api('PUT', '/api/account/password',
                               {current_password: $('pw-current').value,
                                password: $('pw-new').value});
      if (!result.ok) {
        const message = errorText(result);
        const field = message.startsWith('current_password:') ? 'pw-current' :
                      message.startsWith('password:') ? 'pw-new' : null;
        if (field) $(field).setAttribute('aria-invalid', 'true');
        $('pw-error').textContent = plainFieldMessage(
            message, {current_password: 'Current password', password: 'New password'});
        return;
      }
      // This browser has a new session (its cookie came with the answer) and a new token.
      state.csrf = result.data.csrf_token;
      event.target.reset();
      setGlobalStatus('Your password is changed. Every other device was signed out.');
    });
  });
  $('delete-account-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.target, async () => {
      $('da-error').textContent = '';
      const password = $('da-password').value;
      const result = await api('DELETE', '/api/account', {password});
      if (!result.ok) {
        $('da-error').textContent = errorText(result);
        return;
      }
      event.target.reset();
      clearPersonalViews();
      showSignedOut();
      $('si-error').textContent = 'Your account and all its data were deleted.';
    });
  });
}

// Shares (multi-user mode): whom my journal is shared with, each with a two-click "Stop sharing",
// and the journals shared with me, each opening its owner's visit summary (read-only).
async function refreshShares() {
  const result = await api('GET', '/api/shares');
  const mine = $('shared-with');
  const theirs = $('shared-with-me');
  if (!result.ok) {
    $('share-error').textContent = errorText(result);
    return;
  }
  mine.replaceChildren(...(result.data.shared_with.length === 0
    ? [el('li', {}, 'Nobody: your journal is yours alone.')]
    : result.data.shared_with.map(shareItem)));
  theirs.replaceChildren(...(result.data.shared_with_me.length === 0
    ? [el('li', {}, 'None.')]
    : result.data.shared_with_me.map((owner) => el('li', {'data-owner': owner},
        el('strong', {}, owner), ' ',
        el('a', {href: `/api/shared/${encodeURIComponent(owner)}/summary?format=html`,
                 target: '_blank', rel: 'noopener'}, 'Open the visit summary')))));
}

function shareItem(clinician) {
  const stop = el('button', {type: 'button', class: 'secondary small share-stop',
                             'aria-label': `Stop sharing with ${clinician}`}, 'Stop sharing');
  const yes = el('button', {type: 'button', class: 'small share-stop-yes', hidden: '',
                            'aria-label': `Yes, stop sharing with ${clinician}`}, 'Yes, stop');
  stop.addEventListener('click', () => {
    stop.hidden = true;
    yes.hidden = false;
    yes.focus();
  });
  yes.addEventListener('click', async () => {
    const result = await api('DELETE', `/api/shares/${encodeURIComponent(clinician)}`);
    setGlobalStatus(result.ok ? `${clinician} can no longer read your journal.`
                              : `Could not stop sharing: ${errorText(result)}`);
    await refreshShares();
  });
  return el('li', {'data-clinician': clinician}, el('strong', {}, clinician), ' ',
            el('span', {class: 'entry-actions'}, stop, yes));
}

// After sign-out nothing of the previous person may stay on screen.
function clearPersonalViews() {
  state.hasProfile = false;
  state.plan = null;
  $('today-body').replaceChildren();
  $('profile-form').reset();
  $('plan-output').replaceChildren();
  $('intake').replaceChildren();
  $('entries').replaceChildren();
  $('symptom-chart').replaceChildren();
  $('trial-current').replaceChildren();
  $('trial-report').replaceChildren();
  $('shared-with').replaceChildren();
  $('shared-with-me').replaceChildren();
  $('user-name').textContent = '';
  for (const box of document.querySelectorAll('#profile-form input[type="checkbox"]')) {
    box.checked = false;
  }
  $('p-medicine-rows').replaceChildren();
  addMedicineRow();
}

// ---------------------------------------------------------------------------------------------
// Profile form

async function loadKnowledge() {
  const [conditions, redFlags, diagnoses, interactions, citations] = await Promise.all([
    api('GET', '/api/kb/conditions'), api('GET', '/api/kb/red-flags'),
    api('GET', '/api/kb/diagnoses'), api('GET', '/api/kb/interactions'),
    api('GET', '/api/kb/citations'),
  ]);
  if (!conditions.ok) {
    setGlobalStatus(`Could not load the knowledge base: ${errorText(conditions)}`);
  }
  state.conditions = conditions.ok ? conditions.data : [];
  renderConditions(state.conditions);
  renderChecks('p-red-flags-list', redFlags.ok ? redFlags.data : [], 'rf',
               (f) => [el('strong', {}, f.name), ': ', f.question || f.pattern]);
  renderChecks('p-diagnoses-list', diagnoses.ok ? diagnoses.data : [], 'dx', (d) => d.name);
  renderChecks('p-exclusions-list', EXCLUSIONS.map(([id, name]) => ({id, name})), 'ex',
               (x) => x.name);
  const names = $('medicine-names');
  if (interactions.ok) {
    const seen = new Set();
    for (const rule of interactions.data) {
      for (const medicine of rule.medicines || []) {
        for (const name of [medicine.generic, ...(medicine.brands || [])]) {
          if (name && !seen.has(name)) {
            seen.add(name);
            names.append(el('option', {value: name}));
          }
        }
      }
    }
  }
  if (citations.ok) {
    for (const c of citations.data) state.citations.set(c.id, c);
  }
}

function renderConditions(conditions) {
  const list = $('p-complaints-list');
  list.replaceChildren();
  for (const c of conditions) {
    const box = el('input', {type: 'checkbox', id: `cx-${c.id}`, value: c.id,
                             'data-role': 'complaint'});
    const severity = el('input', {type: 'number', id: `cx-${c.id}-severity`, min: '1', max: '10',
                                  inputmode: 'numeric', 'data-role': 'severity'});
    const severityRow = el('div', {class: 'severity', hidden: true},
                           el('label', {for: severity.id}, 'How bad (1-10)',
                              el('span', {class: 'visually-hidden'}, `: ${c.name}`)),
                           severity);
    box.addEventListener('change', () => { severityRow.hidden = !box.checked; });
    const aliases = (c.aliases || []).slice(0, 3).join(', ');
    list.append(el('div', {class: 'complaint', 'data-id': c.id},
                   el('div', {class: 'check'}, box,
                      el('label', {for: box.id}, c.name,
                         aliases ? el('span', {class: 'hint'}, ` (${aliases})`) : null)),
                   severityRow));
  }
}

function renderChecks(containerId, items, prefix, labelOf) {
  const list = $(containerId);
  list.replaceChildren();
  for (const item of items) {
    const box = el('input', {type: 'checkbox', id: `${prefix}-${item.id}`, value: item.id});
    list.append(el('div', {class: 'check'}, box, el('label', {for: box.id}, labelOf(item))));
  }
}

function addMedicineRow(name, time) {
  const rows = $('p-medicine-rows');
  const n = rows.children.length;
  const nameInput = el('input', {type: 'text', id: `med-${n}-name`, list: 'medicine-names',
                                 'data-role': 'med-name', autocomplete: 'off',
                                 'data-field': `medicines[${n}] medicines[${n}].name`,
                                 'aria-describedby': 'p-medicines-error'});
  const timeInput = el('input', {type: 'time', id: `med-${n}-time`, 'data-role': 'med-time',
                                 'data-field': `medicines[${n}].times`,
                                 'aria-describedby': 'p-medicines-error'});
  nameInput.value = name || '';
  timeInput.value = time || '';
  const remove = el('button', {type: 'button', class: 'secondary small',
                               'aria-label': `Remove medicine ${n + 1}`}, 'Remove');
  const row = el('div', {class: 'medicine-row'},
                 el('div', {class: 'field'}, el('label', {for: nameInput.id}, `Medicine ${n + 1}`),
                    nameInput),
                 el('div', {class: 'field'}, el('label', {for: timeInput.id},
                                                `Time taken (medicine ${n + 1})`), timeInput),
                 remove);
  remove.addEventListener('click', () => {
    row.remove();
    if (!rows.children.length) addMedicineRow();
  });
  rows.append(row);
  return nameInput;
}

function checkedValues(containerId) {
  return [...document.querySelectorAll(`#${containerId} input[type="checkbox"]:checked`)]
      .map((box) => box.value);
}

function numberOrNull(input) {
  const text = input.value.trim();
  return text === '' ? null : Number(text);
}

// The profile document (docs/PLAN.md), built from the form. Empty fields are left out.
function profileFromForm() {
  const doc = {};
  const age = numberOrNull($('p-age'));
  if (age !== null) doc.age = age;
  if ($('p-sex').value) doc.sex = $('p-sex').value;
  const pregnancy = $('p-pregnancy').value;
  if (pregnancy === 'pregnant') doc.pregnant = true;
  if (pregnancy === 'lactating') doc.lactating = true;
  const gestation = numberOrNull($('p-gestation'));
  if (pregnancy === 'pregnant' && gestation !== null) doc.gestation_weeks = gestation;
  doc.reference = $('p-reference').value;
  doc.complaints = [];
  for (const row of document.querySelectorAll('#p-complaints-list .complaint')) {
    const box = row.querySelector('[data-role="complaint"]');
    if (!box.checked) continue;
    const severity = numberOrNull(row.querySelector('[data-role="severity"]'));
    doc.complaints.push(severity === null ? box.value : {condition: box.value, severity});
  }
  const redFlags = checkedValues('p-red-flags-list');
  if (redFlags.length) doc.red_flags = redFlags;
  const diagnoses = checkedValues('p-diagnoses-list');
  if (diagnoses.length) doc.diagnoses = diagnoses;
  const kidney = {};
  const egfr = numberOrNull($('p-egfr'));
  if (egfr !== null) kidney.egfr = egfr;
  if ($('p-ckd').value) kidney.ckd_stage = Number($('p-ckd').value);
  if (Object.keys(kidney).length) doc.kidney = kidney;
  const ferritin = numberOrNull($('p-ferritin'));
  if (ferritin !== null) doc.ferritin_ug_l = ferritin;
  if ($('p-iron').checked) doc.iron_deficiency = true;
  const medicines = [];
  for (const row of document.querySelectorAll('#p-medicine-rows .medicine-row')) {
    const name = row.querySelector('[data-role="med-name"]').value.trim();
    const time = row.querySelector('[data-role="med-time"]').value;
    if (!name) continue;
    medicines.push(time ? {name, times: [time]} : name);
  }
  if (medicines.length) doc.medicines = medicines;
  const taken = numberOrNull($('p-taken-mg'));
  if (taken !== null && taken > 0) {
    doc.magnesium_taken = [{kind: $('p-taken-kind').value, elemental: `${taken}mg`}];
  }
  const dietMg = numberOrNull($('p-diet-mg'));
  if (dietMg !== null) doc.diet = {magnesium_mg_per_day: dietMg};
  const exclusions = checkedValues('p-exclusions-list');
  if (exclusions.length) doc.food_exclusions = exclusions;
  const preferences = {route: $('p-route').value};
  if ($('p-stomach').checked) preferences.sensitive_stomach = true;
  const pills = numberOrNull($('p-pills'));
  if (pills !== null) preferences.max_pills_per_day = pills;
  doc.preferences = preferences;
  const label = $('p-product-label').value;
  if (label.trim()) {
    const product = {label};
    const name = $('p-product-name').value.trim();
    if (name) product.name = name;
    const price = $('p-product-price').value.trim();
    if (price) product.price = price;
    const pack = numberOrNull($('p-product-pack'));
    if (pack !== null) product.units_per_pack = pack;
    doc.product = product;
  }
  return doc;
}

// Weeks of pregnancy: asked only of someone who says she is pregnant.
function showGestation() {
  $('p-gestation-field').hidden = $('p-pregnancy').value !== 'pregnant';
}

// Fills the form from a stored profile (best effort: it may have been written by the CLI).
function fillForm(doc) {
  if (!doc || typeof doc !== 'object') return;
  if (typeof doc.age === 'number') $('p-age').value = doc.age;
  if (doc.sex) $('p-sex').value = doc.sex;
  $('p-pregnancy').value = doc.pregnant ? 'pregnant' : doc.lactating ? 'lactating' : '';
  if (doc.reference) $('p-reference').value = doc.reference;
  if (typeof doc.gestation_weeks === 'number') $('p-gestation').value = doc.gestation_weeks;
  showGestation();
  if (typeof doc.ferritin_ug_l === 'number') $('p-ferritin').value = doc.ferritin_ug_l;
  $('p-iron').checked = !!doc.iron_deficiency;
  const byNameOrId = (value) => {
    const needle = String(value).toLowerCase();
    const hit = state.conditions.find((c) => c.id === value || c.name.toLowerCase() === needle ||
        (c.aliases || []).some((a) => a.toLowerCase() === needle));
    return hit ? hit.id : null;
  };
  for (const complaint of doc.complaints || []) {
    const name = typeof complaint === 'string' ? complaint : complaint.condition;
    const id = byNameOrId(name);
    const box = id && $(`cx-${id}`);
    if (!box) continue;
    box.checked = true;
    box.dispatchEvent(new Event('change'));
    if (typeof complaint === 'object' && typeof complaint.severity === 'number') {
      $(`cx-${id}-severity`).value = complaint.severity;
    }
  }
  for (const id of doc.red_flags || []) if ($(`rf-${id}`)) $(`rf-${id}`).checked = true;
  for (const id of doc.diagnoses || []) if ($(`dx-${id}`)) $(`dx-${id}`).checked = true;
  for (const id of doc.food_exclusions || []) if ($(`ex-${id}`)) $(`ex-${id}`).checked = true;
  if (doc.kidney) {
    if (doc.kidney.egfr !== undefined) $('p-egfr').value = doc.kidney.egfr;
    if (doc.kidney.ckd_stage !== undefined) $('p-ckd').value = String(doc.kidney.ckd_stage);
  }
  if (Array.isArray(doc.medicines) && doc.medicines.length) {
    $('p-medicine-rows').replaceChildren();
    for (const m of doc.medicines) {
      if (typeof m === 'string') addMedicineRow(m, '');
      else addMedicineRow(m.name, (m.times || [])[0] || '');
    }
  }
  const taken = (doc.magnesium_taken || [])[0];
  if (taken && typeof taken.elemental === 'string') {
    $('p-taken-kind').value = taken.kind || 'supplement';
    $('p-taken-mg').value = parseFloat(taken.elemental);
  }
  if (doc.diet && typeof doc.diet.magnesium_mg_per_day === 'number') {
    $('p-diet-mg').value = doc.diet.magnesium_mg_per_day;
  }
  const prefs = doc.preferences || {};
  if (prefs.route) $('p-route').value = prefs.route.replace(' ', '_');
  $('p-stomach').checked = !!prefs.sensitive_stomach;
  if (prefs.max_pills_per_day) $('p-pills').value = prefs.max_pills_per_day;
  if (doc.diet || doc.food_exclusions || doc.product ||
      (doc.reference && doc.reference !== 'us') ||
      Object.keys(doc.preferences || {}).some((k) => k !== 'route' || doc.preferences.route !== 'any')) {
    $('p-more').open = true;
  }
  const product = doc.product || {};
  $('p-product-label').value = typeof product.label === 'string' ? product.label : '';
  $('p-product-name').value = typeof product.name === 'string' ? product.name : '';
  $('p-product-price').value = product.price !== undefined ? String(product.price) : '';
  $('p-product-pack').value = product.units_per_pack !== undefined ? product.units_per_pack : '';
}

async function loadProfile() {
  const result = await api('GET', '/api/profile');
  if (result.ok && result.data && result.data.profile) {
    state.hasProfile = true;
    setStep(0);
    fillForm(result.data.profile);
    showProfileEditor(false);
    await showPlan(result.data.profile, false);
  } else {
    state.hasProfile = false;
    setStep(1);
    showProfileEditor(true);
  }
}

// ---------------------------------------------------------------------------------------------
// First use: the same form in short steps, instead of the whole of it at once. The form's parts
// carry data-step; "Next" asks the server to check the profile so far (POST /api/plan validates
// exactly as PUT /api/profile, and stores nothing) and moves on only when no problem belongs to
// this step or an earlier one. The last step saves it as the whole form does (submitProfile):
// one profile document, one API call, no second set of rules in the page.

const STEPS = ['About you', 'What bothers you', 'Kidneys and medicines',
               'Diet and preferences (optional)'];

// Shows step n (1-4), or the whole form for n = 0 (a returning person's "Edit profile").
function setStep(n) {
  state.step = n;
  const form = $('profile-form');
  form.classList.toggle('stepwise', n > 0);
  for (const part of form.querySelectorAll('[data-step]')) {
    part.hidden = n > 0 && Number(part.dataset.step) !== n;
  }
  $('profile-steps').hidden = n === 0;
  $('step-back').hidden = n <= 1;
  $('step-skip').hidden = n !== STEPS.length;
  $('make-plan').textContent = n > 0 && n < STEPS.length ? 'Next' : 'Save profile and show my plan';
  if (n > 0) {
    $('profile-step-title').textContent = `Step ${n} of ${STEPS.length}: ${STEPS[n - 1]}`;
    $('profile-step-bar').value = n;
  }
  if (n === STEPS.length) $('p-more').open = true;
}

// The step a form element belongs to (0: none, e.g. the error summary).
function stepOf(node) {
  const part = node && node.closest('[data-step]');
  return part ? Number(part.dataset.step) : 0;
}

function goToStep(n) {
  setStep(n);
  $('profile-step-title').focus();
}

// Next: the problems of this step and the ones before it, in the form's words, or the next step.
async function nextStep(form) {
  clearFieldErrors();
  await busy(form, async () => {
    const checked = await api('POST', '/api/plan?format=json', profileFromForm());
    if (!checked.ok && checked.status !== 400) {
      setGlobalStatus(`Could not check the profile: ${errorText(checked)}`);
      return;
    }
    if (!checked.ok) {
      const targets = problemTargets(errorText(checked))
          .filter((t) => stepOf(t) <= state.step);
      if (targets.length) {
        const first = Math.min(...targets.map((t) => stepOf(t) || state.step));
        if (first < state.step) setStep(first);
        showFieldErrors(errorText(checked), (t) => stepOf(t) <= state.step);
        return;
      }
    }
    goToStep(state.step + 1);
  });
}

// The optional last step, skipped: its fields back to their defaults, then saved as usual.
function skipStep() {
  for (const node of document.querySelectorAll('#p-more input, #p-more textarea, #p-more select')) {
    if (node.type === 'checkbox') node.checked = node.defaultChecked;
    else if (node.tagName === 'SELECT') node.selectedIndex = 0;
    else node.value = node.defaultValue;
  }
  $('p-product-summary').replaceChildren();
  $('profile-form').requestSubmit($('make-plan'));
}

// Once a profile exists its form sits behind "Edit profile"; the plan shows first.
function showProfileEditor(open) {
  $('profile-box').hidden = !open;
  $('plan-actions').hidden = !state.hasProfile;
  $('edit-profile').setAttribute('aria-expanded', String(open));
  $('edit-profile').textContent = open ? 'Close the profile' : 'Edit profile';
}

function clearFieldErrors() {
  const summary = $('profile-errors');
  summary.hidden = true;
  summary.replaceChildren();
  for (const p of document.querySelectorAll('#profile-form .field-error')) p.textContent = '';
  for (const node of document.querySelectorAll('#profile-form [aria-invalid]')) {
    node.removeAttribute('aria-invalid');
  }
}

// The element a problem's field path ("kidney.egfr", "complaints[0]", "medicines[1].name")
// belongs to: the most specific element whose data-field lists the path or one of its parents.
function elementForField(path) {
  const candidates = [];
  let p = path;
  while (p) {
    candidates.push(p);
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut > 0 ? p.slice(0, cut) : '';
  }
  for (const candidate of candidates) {
    for (const node of document.querySelectorAll('#profile-form [data-field]')) {
      if (node.getAttribute('data-field').split(' ').includes(candidate)) return node;
    }
  }
  return null;
}

// "medicines[0]: unknown medicine" → "Medicine 1: unknown medicine": the field as the form
// labels it (the label, or the legend of its group), never the API's path.
function formWords(text, target) {
  const match = /^([A-Za-z_][\w.[\]]*):\s+(.*)$/s.exec(text);
  if (!match) return text;
  const [, path, rest] = match;
  const medicine = /^medicines\[(\d+)\]/.exec(path);
  if (medicine) return `Medicine ${Number(medicine[1]) + 1}: ${rest}`;
  const complaint = /^complaints\[(\d+)\]/.exec(path);
  if (complaint) return `Complaint ${Number(complaint[1]) + 1}: ${rest}`;
  let name = '';
  if (target.matches('input, select, textarea')) {
    name = [...(target.labels || [])].map((l) => l.textContent.trim()).join(' ');
  }
  if (!name) {
    // A group's own name: its legend, its label-like heading or its disclosure's summary (never
    // the label of the first box inside it).
    const legend = target.closest('fieldset')?.querySelector('legend');
    const own = target.matches('fieldset') ? legend :
        target.querySelector('.label-like') || target.closest('details')?.querySelector('summary') ||
        legend;
    name = own?.textContent.trim() || '';
  }
  return name ? `${name}: ${rest}` : rest;
}

// A journal error ("value: required for a cramps entry") in the words of the form that sent it.
function plainFieldMessage(message, labels) {
  const match = /^([a-z_]+):\s+(.*)$/s.exec(message);
  if (!match) return message;
  const name = labels[match[1]] || labels.value;
  return name ? `${name}: ${match[2]}` : message;
}

// Shows a 400's problems next to their fields and in a summary at the top of the form. The
// message is "profile has problems:\n  field: problem" or a single "field: problem".
function fieldProblems(message) {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean)
      .filter((l) => !/^profile has (a )?problems?:?$/.test(l));
  return lines.map((line) => {
    // Lines may start with where the document came from ("request body: ", "me.toml:3: ");
    // the field path is the first "path: " whose path belongs to an element of the form.
    let text = line;
    let target = null;
    for (let rest = line, i = 0; rest && i < 3 && !target; ++i) {
      const match = /^([A-Za-z_][\w.[\]]*):\s+(.*)$/.exec(rest);
      target = match ? elementForField(match[1]) : null;
      if (target) text = rest;
      const cut = rest.indexOf(': ');
      rest = cut < 0 ? '' : rest.slice(cut + 2);
    }
    return {text: target ? formWords(text, target) : text, target};
  });
}

// The form elements a 400's problems belong to (null for a problem no field owns).
function problemTargets(message) {
  return fieldProblems(message).map((p) => p.target);
}

// `keep(target)` chooses the problems to show (stepwise: this step's and earlier ones).
function showFieldErrors(message, keep = () => true) {
  const summary = $('profile-errors');
  const list = el('ul');
  for (const {text, target} of fieldProblems(message)) {
    if (!keep(target)) continue;
    const item = el('li', {}, text);
    if (target) {
      const errorId = (target.getAttribute('aria-describedby') || '').split(' ')
          .find((id) => id.endsWith('-error'));
      const slot = errorId && $(errorId);
      if (slot) slot.textContent = slot.textContent ? `${slot.textContent} ${text}` : text;
      target.setAttribute('aria-invalid', 'true');
      target.closest('details')?.setAttribute('open', '');
      const focusable = target.matches('input, select, textarea') ? target :
          target.querySelector('input, select, textarea');
      if (focusable && focusable.id) {
        item.replaceChildren(el('a', {href: `#${focusable.id}`, onclick: (e) => {
          e.preventDefault();
          focusable.closest('details')?.setAttribute('open', '');
          focusable.focus();
        }}, text));
      }
    }
    list.append(item);
  }
  summary.replaceChildren(el('p', {}, el('strong', {}, 'Please check these fields:')), list);
  summary.hidden = false;
  summary.focus();
}

async function submitProfile(event) {
  event.preventDefault();
  // Stepwise, Enter in a field (or the button) goes to the next step until the last one.
  if (state.step > 0 && state.step < STEPS.length) {
    await nextStep(event.target);
    return;
  }
  clearFieldErrors();
  const doc = profileFromForm();
  await busy(event.target, async () => {
    const saved = await api('PUT', '/api/profile', doc);
    if (!saved.ok) {
      if (saved.status === 400) {
        // Stepwise: back to the first step with a problem, so its field can be seen.
        const steps = problemTargets(errorText(saved)).map(stepOf).filter((n) => n > 0);
        if (state.step > 0 && steps.length) setStep(Math.min(...steps));
        showFieldErrors(errorText(saved));
      } else {
        setGlobalStatus(`Could not save the profile: ${errorText(saved)}`);
      }
      return;
    }
    state.hasProfile = true;
    setStep(0);
    showProfileEditor(false);
    await showPlan(doc, true);
  });
}

// ---------------------------------------------------------------------------------------------
// Plan rendering: safety first.

function citationList(ids) {
  if (!ids || !ids.length) return null;
  return el('ul', {class: 'citations'}, ids.map((id) => {
    const c = state.citations.get(id);
    if (!c) return el('li', {}, id);
    const href = c.doi ? `https://doi.org/${c.doi}` : c.url ? c.url :
        c.pmid ? `https://pubmed.ncbi.nlm.nih.gov/${c.pmid}/` : null;
    const text = `${c.authors ? `${c.authors} ` : ''}(${c.year}). ${c.title}.` +
        (c.venue ? ` ${c.venue}.` : '');
    return el('li', {}, text, ' ',
              href ? el('a', {href, rel: 'noopener noreferrer'},
                        c.doi ? `doi:${c.doi}` : 'source') : null);
  }));
}

async function showPlan(doc, scroll) {
  const output = $('plan-output');
  const result = await api('POST', '/api/plan?format=json', doc);
  if (!result.ok) {
    if (result.status === 400) showFieldErrors(errorText(result));
    else output.replaceChildren(el('p', {class: 'error'}, errorText(result)));
    return;
  }
  state.plan = result.data;
  output.replaceChildren(renderPlan(result.data));
  if (scroll) {
    const heading = output.querySelector('h2');
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
}

// Plain words for the knowledge base's closed sets (verdicts, certainty, urgency): a person never
// reads an identifier.
const VERDICT_WORDS = {
  effective: 'Effective',
  possibly_effective: 'Possibly effective',
  insufficient_evidence: 'Not enough evidence',
  likely_ineffective: 'Likely ineffective',
  not_studied: 'Not studied',
};
const CERTAINTY_WORDS = {high: 'high', moderate: 'moderate', low: 'low', very_low: 'very low'};
const URGENCY_WORDS = {emergency: 'Emergency', soon: 'Soon', routine: 'When you can'};

function verdictWords(verdict) {
  return VERDICT_WORDS[verdict] || words(verdict);
}

function certaintyWords(certainty) {
  return certainty ? `certainty of the evidence: ${CERTAINTY_WORDS[certainty] || words(certainty)}`
                   : '';
}

const VERDICT_RANK = {effective: 4, possibly_effective: 3, insufficient_evidence: 2,
                      not_studied: 1, likely_ineffective: 0};

// The measure to name beside magnesium's verdict for one complaint: an effective one when there
// is one (iron for restless legs), else the knowledge base's first (calf stretches for cramps).
function leadMeasure(plan, condition) {
  const mine = (plan.measures || []).filter((m) => m.condition === condition);
  return mine.find((m) => m.verdict === 'effective') || mine[0] || null;
}

// Measures to do before (or instead of) the supplement: effective ones for a complaint on which
// magnesium itself is not effective.
function firstSteps(plan) {
  const weak = new Set((plan.findings || []).filter((f) => f.verdict !== 'effective')
      .map((f) => f.condition));
  return (plan.measures || []).filter((m) => weak.has(m.condition) && m.verdict === 'effective');
}

// One plain sentence per complaint: what magnesium will do, and what to do instead or first.
function bottomLine(plan, f) {
  const s = plan.supplement;
  const name = f.condition_name.toLowerCase();
  let magnesium;
  switch (f.verdict) {
    case 'effective': magnesium = `Magnesium helps ${name}`; break;
    case 'possibly_effective': magnesium = `Magnesium may help ${name}`; break;
    case 'insufficient_evidence':
      magnesium = `Nobody knows yet whether magnesium helps ${name}`; break;
    case 'not_studied': magnesium = `Magnesium has not been studied for ${name}`; break;
    default: magnesium = `Magnesium is unlikely to help ${name}`;
  }
  let then = '';
  if (!s && plan.supplement_withheld_for_safety) {
    then = ' — and it is not safe for you now: see a clinician first.';
  } else if (s && (f.verdict === 'effective' || f.verdict === 'possibly_effective')) {
    then = `: your plan is ${fmtMg(s.daily_elemental_mg)} a day.`;
  } else if (s && s.is_trial) {
    then = `: you can test ${fmtMg(s.daily_elemental_mg)} a day on yourself, with a trial.`;
  } else {
    then = '.';
  }
  const m = leadMeasure(plan, f.condition);
  const lead = m ? (m.verdict === 'effective' && f.verdict !== 'effective' ?
                        `What does help: ${m.name}.` : `Also worth doing: ${m.name}.`) : '';
  return el('p', {class: 'bottom-line'}, el('strong', {}, `${magnesium}${then}`), lead ? ' ' : '',
            lead);
}

// Short links to the sources a text cites ("Garrison 2020"); the full list ends the plan.
function sourceLinks(plan, ids) {
  if (!ids || !ids.length) return null;
  const byId = new Map((plan.sources || []).map((c) => [c.id, c]));
  const links = ids.map((id) => {
    const c = byId.get(id) || state.citations.get(id);
    if (!c) return null;
    const who = String(c.authors || c.title || '').split(/[ ,]/)[0];
    const href = c.doi ? `https://doi.org/${c.doi}` : c.url ? c.url :
        c.pmid ? `https://pubmed.ncbi.nlm.nih.gov/${c.pmid}/` : null;
    const text = `${who} ${c.year}`;
    return href ? el('a', {href, rel: 'noopener noreferrer', title: c.title}, text) : text;
  }).filter(Boolean);
  if (!links.length) return null;
  const parts = [];
  links.forEach((l, i) => parts.push(i ? ', ' : '', l));
  return el('p', {class: 'hint sources-inline'}, 'Sources: ', ...parts);
}

function renderPlan(plan) {
  const root = el('div', {id: 'plan-result'});
  root.append(el('h2', {}, 'Your plan'));

  // 1. Safety: referrals (the urgent ones in red), then notes to know before starting.
  const referrals = plan.referrals || [];
  if (referrals.length) {
    const urgent = referrals.some((r) => r.urgency !== 'routine');
    root.append(el('section', {class: urgent ? 'safety' : 'notice', id: 'plan-referrals',
                               'aria-labelledby': 'plan-referrals-title'},
                   el('h3', {id: 'plan-referrals-title'},
                      urgent ? 'See a clinician first' : 'Ask a clinician'),
                   el('ul', {}, referrals.map((r) => el('li', {},
                       el('span', {class: `badge ${r.urgency}`},
                          URGENCY_WORDS[r.urgency] || words(r.urgency)), r.reason)))));
  }
  const notes = [...(plan.warnings || [])];
  for (const name of plan.unknown_medicines || []) {
    if (!notes.some((w) => w.includes(name))) {
      notes.push(`${name}: not in the knowledge base, so interactions were not checked. ` +
                 'Ask a pharmacist before taking magnesium with it.');
    }
  }
  if (notes.length) {
    root.append(el('section', {class: 'notice', id: 'plan-warnings'},
                   el('h3', {}, 'Before you start'), el('ul', {}, notes.map((w) => el('li', {}, w)))));
  }

  // 2. What the evidence says, per complaint, with the bottom line first.
  if (plan.findings && plan.findings.length) {
    root.append(el('section', {id: 'plan-evidence'}, el('h3', {}, 'What the evidence says'),
                   plan.findings.map((f) => el('article', {class: 'finding'},
                       el('h4', {}, f.condition_name),
                       bottomLine(plan, f),
                       el('p', {}, 'Magnesium by mouth: ',
                          el('strong', {class: `verdict-${f.verdict}`}, verdictWords(f.verdict)),
                          f.certainty ? ` (${certaintyWords(f.certainty)})` : ''),
                       el('p', {}, f.summary),
                       f.dose_studied ? el('p', {class: 'hint'}, `Dose studied: ${f.dose_studied}`)
                                      : null,
                       f.caveat ? el('p', {class: 'hint'}, f.caveat) : null,
                       sourceLinks(plan, f.citations)))));
  }

  // 3. What to do first: an effective step that is not magnesium (check iron for restless legs).
  const first = firstSteps(plan);
  if (first.length) {
    root.append(el('section', {id: 'plan-first', class: 'ok-box'}, el('h3', {}, 'Do this first'),
                   first.map((m) => el('article', {},
                       el('h4', {}, m.name), el('p', {}, m.advice),
                       el('p', {class: 'hint'}, `${verdictWords(m.verdict)}` +
                          (m.certainty ? `; ${certaintyWords(m.certainty)}` : '')),
                       sourceLinks(plan, m.citations)))));
  }

  // 4. The supplement, 5. timing around medicines.
  root.append(renderSupplement(plan));
  // A medicine to watch rather than to space (omeprazole) has its note under "Before you start"
  // (plan.warnings): Timing only names it, so the note is said once (as in the CLI's plan).
  const interactions = plan.interactions || [];
  const spaced = interactions.filter((i) => i.action !== 'monitor');
  const watched = interactions.filter((i) => i.action === 'monitor').map((i) => i.medicine);
  if (interactions.length) {
    root.append(el('section', {id: 'plan-interactions'}, el('h3', {}, 'Timing and your medicines'),
                   el('ul', {}, spaced.map((i) => el('li', {},
                       el('strong', {}, i.medicine),
                       i.medicine_times && i.medicine_times.length ?
                           ` (taken at ${i.medicine_times.join(', ')}` +
                           (i.medicine_times_assumed ? ', assumed' : '') + ')' : '',
                       ': ', i.spacing_rule)),
                      watched.length ? el('li', {}, el('strong', {}, watched.join(', ')),
                                          ': no timing rule with magnesium (see ' +
                                          '"Before you start").') : null)));
  }

  // 6. Foods.
  if (plan.foods && plan.foods.length) {
    const t = plan.totals || {};
    root.append(el('section', {id: 'plan-foods'}, el('h3', {}, 'Foods rich in magnesium'),
                   t.intake_target_mg ? el('p', {}, `Target from food and drink: ` +
                       `${fmtMg(t.intake_target_mg)} a day` +
                       (t.diet_mg === null || t.diet_mg === undefined ? '.' :
                        `; your diet gives ${t.diet_is_lower_bound ? 'at least ' : ''}` +
                        `${fmtMg(t.diet_mg)}` +
                        (t.diet_gap_mg > 0 ? `, about ${fmtMg(t.diet_gap_mg)} short.` : '.')))
                                      : null,
                   el('div', {class: 'table-wrap'}, el('table', {},
                       el('thead', {}, el('tr', {}, el('th', {scope: 'col'}, 'Food'),
                                          el('th', {scope: 'col'}, 'Portion'),
                                          el('th', {scope: 'col', class: 'num'}, 'Magnesium'))),
                       el('tbody', {}, plan.foods.map((f) => el('tr', {},
                           el('td', {}, f.food), el('td', {}, f.portion),
                           el('td', {class: 'num'}, fmtMg(f.magnesium_mg)))))))));
  } else if (plan.food_note) {
    root.append(el('section', {id: 'plan-foods'}, el('h3', {}, 'Food'), el('p', {}, plan.food_note)));
  }

  // 7. Other measures.
  const shown = new Set(first.map((m) => m.id));
  const others = (plan.measures || []).filter((m) => !shown.has(m.id));
  if (others.length) {
    root.append(el('section', {id: 'plan-measures'}, el('h3', {}, 'What else helps'),
                   others.map((m) => el('article', {},
                       el('h4', {}, m.name),
                       el('p', {}, m.advice),
                       el('p', {class: 'hint'}, `Evidence: ${verdictWords(m.verdict)}` +
                          (m.certainty ? `; ${certaintyWords(m.certainty)}` : '')),
                       sourceLinks(plan, m.citations)))));
  }

  // 8. What to watch for: side effects, and the warning signs that need help at once.
  const watch = plan.watch_for || [];
  const questions = [];
  const seen = new Set();
  for (const net of plan.safety_net || []) {
    for (const q of net.questions || []) {
      if (seen.has(q.red_flag)) continue;
      seen.add(q.red_flag);
      questions.push(q);
    }
  }
  if (watch.length || questions.length) {
    root.append(el('section', {id: 'plan-watch'}, el('h3', {}, 'What to watch for'),
                   watch.length ? el('ul', {}, watch.map((w) => el('li', {},
                       el('strong', {}, w.name), `: ${(w.symptoms || []).join(', ')}. `,
                       w.action))) : null,
                   questions.length ? el('h4', {}, 'Get help if') : null,
                   questions.length ? el('ul', {id: 'plan-safety-net'}, questions.map((q) =>
                       el('li', {}, el('span', {class: `badge ${q.urgency}`},
                                       URGENCY_WORDS[q.urgency] || words(q.urgency)),
                          `${q.question} ${q.action}`))) : null));
  }

  // 9. Sources, in full.
  const sources = plan.sources || [];
  if (sources.length) {
    root.append(el('section', {id: 'plan-sources'}, el('h3', {}, 'Sources'),
                   el('ul', {class: 'citations'}, sources.map((c) => {
                     const href = c.doi ? `https://doi.org/${c.doi}` : c.url ? c.url :
                         c.pmid ? `https://pubmed.ncbi.nlm.nih.gov/${c.pmid}/` : null;
                     return el('li', {}, `${c.authors ? `${c.authors} ` : ''}(${c.year}). ` +
                               `${c.title}.${c.venue ? ` ${c.venue}.` : ''} `,
                               href ? el('a', {href, rel: 'noopener noreferrer'},
                                          c.doi ? `doi:${c.doi}` : 'source') : null);
                   }))));
  }
  return root;
}

function renderSupplement(plan) {
  const s = plan.supplement;
  const supplement = el('section', {id: 'plan-supplement', class: s ? 'ok-box' : ''});
  const t = plan.totals;
  const limits = t ? el('p', {class: 'hint', id: 'plan-totals'},
      `Upper limit for magnesium from supplements: ${fmtMg(t.ul_supplemental_mg)} a day. ` +
      `Already taken: ${fmtMg(t.existing_supplemental_mg)}; planned: ` +
      `${fmtMg(t.planned_supplemental_mg)}; total: ${fmtMg(t.total_supplemental_mg)}.`) : null;
  const title = s && s.is_trial ? 'Supplement to try (as a measured trial)' : 'Supplement';
  if (s && s.product) {
    const p = s.product;
    const units = (n) => `${n} ${p.unit}${n === 1 || p.unit === 'mL' || p.unit === 'g' ? '' : 's'}`;
    supplement.append(
        el('h3', {}, title),
        el('p', {class: 'meter'}, el('strong', {}, p.name), ': ',
           el('strong', {}, `${units(p.units_per_day)} a day`),
           ` (${fmtMg(s.daily_elemental_mg)} elemental magnesium; ` +
           `${fmtMg(p.elemental_mg_per_unit)} in each ${p.unit})`),
        p.cost_per_day !== null ?
            el('p', {id: 'plan-cost'}, `Cost: about ${p.cost_per_day.toFixed(2)}` +
               `${p.currency ? ' ' + p.currency : ''} a day (price from ${p.price_source}).`) :
            null,
        el('h4', {}, 'When to take it'),
        el('ul', {}, s.doses.map((d) => el('li', {}, el('strong', {}, d.time), ': ',
                                            `${units(d.units)} (${fmtMg(d.elemental_mg)})`))),
        s.titration && s.titration.length > 1 ? el('h4', {}, 'Start low') : null,
        s.titration && s.titration.length > 1 ?
            el('ul', {}, s.titration.map((x) => el('li', {},
                `From week ${x.from_week}: ${units(x.daily_units)} a day`))) : null,
        (p.label_warnings || []).length ?
            el('ul', {class: 'hint'}, p.label_warnings.map((w) => el('li', {}, `From the label: ${w}`))) :
            null,
        (s.reasons || []).length ? el('p', {class: 'hint'}, s.reasons.join(' ')) : null, limits);
  } else if (s) {
    supplement.append(
        el('h3', {}, title),
        el('p', {class: 'meter'}, el('strong', {}, s.compound_name || words(s.form)), ': ',
           el('strong', {}, `${fmtMg(s.daily_elemental_mg)} elemental magnesium a day`),
           ` (${fmtMg(s.daily_compound_mg)} of the compound, about ${s.estimated_pills_per_day} ` +
           `pill${s.estimated_pills_per_day === 1 ? '' : 's'})`),
        el('h4', {}, 'When to take it'),
        el('ul', {}, s.doses.map((d) => el('li', {}, el('strong', {}, d.time), ': ',
                                            `${fmtMg(d.elemental_mg)} elemental`))),
        s.titration && s.titration.length ? el('h4', {}, 'Start low') : null,
        s.titration && s.titration.length ?
            el('ul', {}, s.titration.map((x) => el('li', {},
                `From week ${x.from_week}: ${fmtMg(x.daily_elemental_mg)} a day`))) : null,
        (s.reasons || []).length ? el('p', {class: 'hint'}, s.reasons.join(' ')) : null, limits);
  } else {
    supplement.append(el('h3', {}, 'Supplement'),
                      el('p', {}, plan.supplement_withheld_for_safety ?
                         'No supplement: a safety rule withholds it. Follow the referral above.' :
                         'No magnesium supplement is recommended for your complaints. ' +
                         'See what helps below.'), limits);
  }
  return supplement;
}

// ---------------------------------------------------------------------------------------------
// Today: what a returning person needs each day, before anything else. The bottom line per
// complaint, today's doses with the spacing reason, the trial's instruction, one-tap logging, and
// a plain warning when today's supplements pass the upper limit.

// The symptom a complaint is rated by, when no trial says otherwise.
function measureForCondition(condition) {
  if (/restless/.test(condition)) return 'irls';
  if (/cramp/.test(condition)) return 'cramps';
  if (/sleep|insomnia/.test(condition)) return 'sleep';
  if (/migraine/.test(condition)) return 'migraine';
  if (/stress/.test(condition)) return 'stress';
  return 'pain';
}

const MEASURE_INPUT = {
  cramps: {label: 'Cramps last night or today (number)', min: 0, max: 100},
  irls: {label: 'Restless legs score today (IRLS, 0-40)', min: 0, max: 40},
  pain: {label: 'Pain today (0 none – 10 worst)', min: 0, max: 10},
  sleep: {label: 'Sleep last night (0 worst – 10 best)', min: 0, max: 10},
  // 0 is a day without migraine: a trial of migraine days needs those days logged too.
  migraine: {label: 'Migraine today: worst severity (0 none – 10 worst)', min: 0, max: 10},
  stress: {label: 'Stress today (0 none – 10 extreme)', min: 0, max: 10},
};

async function refreshToday() {
  const body = $('today-body');
  if (!state.hasProfile) {
    body.replaceChildren(el('p', {}, 'Nothing here yet: ',
        el('a', {href: '#plan'}, 'describe yourself and your complaints'),
        ' and your plan and today\'s steps appear here.'));
    return;
  }
  if (!state.plan) await loadProfile();
  const plan = state.plan;
  if (!plan) return;
  const [trialResult, day] = await Promise.all([
    api('GET', '/api/trials/current'), api('GET', '/api/journal/foods'),
  ]);
  const trialData = trialResult.ok ? trialResult.data : {};
  const trial = trialData.trial;
  const status = trialData.status;
  const running = trial && status && status.phase === 'running';
  const parts = [];

  // The upper-limit warning comes first: it is the one thing that must not be missed.
  const ul = plan.totals ? plan.totals.ul_supplemental_mg : null;
  if (day.ok && ul && day.data.supplement_mg > ul) {
    parts.push(el('p', {class: 'safety-line', id: 'today-limit-warning', role: 'alert'},
        el('strong', {}, `Today's supplements add up to ${fmtMg(day.data.supplement_mg)}, ` +
                         `above the upper limit of ${fmtMg(ul)} a day.`),
        ' Take no more magnesium today. Diarrhoea is the usual first sign of too much; with ' +
        'weak kidneys, too much can be dangerous.'));
  }
  const urgent = (plan.referrals || []).filter((r) => r.urgency !== 'routine');
  if (urgent.length) {
    parts.push(el('div', {class: 'safety-line'}, el('strong', {}, 'See a clinician first: '),
                  urgent.map((r) => r.reason).join(' ')));
  }

  parts.push(el('div', {class: 'card', id: 'today-bottom-line'},
      el('h2', {}, 'Your bottom line'),
      (plan.findings || []).map((f) => bottomLine(plan, f)),
      el('p', {class: 'no-print'}, el('a', {href: '#plan'}, 'Read the whole plan'), ' · ',
         el('a', {href: '#plan', id: 'today-edit-profile', onclick: () => {
           state.openEditor = true;
         }}, 'Edit profile'))));

  // Today's doses, at their times, with why those times.
  const s = plan.supplement;
  const blindedToday = running && Boolean(status.container);
  // The run-in (before the pairs) is without magnesium too.
  const offToday = (running && !blindedToday && !status.magnesium) ||
      Boolean(status && status.phase === 'run_in');
  if (s) {
    const spacing = (plan.interactions || []).filter((i) => i.action === 'separate');
    const taken = day.ok ? day.data.supplements.filter((e) => e.kind === 'dose') : [];
    parts.push(el('div', {class: 'card', id: 'today-doses'},
        el('h2', {}, 'Today\'s magnesium'),
        offToday ? el('p', {}, el('strong', {}, 'None today: '),
                      'your trial is in a period without magnesium.') :
        blindedToday ? el('p', {}, el('strong', {}, `From container ${status.container}: `),
                          'your blinded trial gives today\'s dose (below, under "Your trial ' +
                          'today").') :
            el('ul', {class: 'dose-list'}, s.doses.map((d, i) => {
              const done = taken.length > i;
              return el('li', {},
                  el('strong', {}, d.time), ` ${fmtMg(d.elemental_mg)} ` +
                  `${s.product ? `(${d.units} ${s.product.unit}${d.units === 1 ? '' : 's'} of ` +
                                 `${s.product.name}) ` : ''}`,
                  done ? el('span', {class: 'done'}, '✓ logged') :
                      el('button', {type: 'button', class: 'small today-dose',
                                    'data-mg': d.elemental_mg,
                                    onclick: (e) => logToday(e.target, {
                                      kind: 'dose', magnesium_mg: d.elemental_mg,
                                      label: s.compound_name ? `magnesium ${s.form}` : s.form,
                                    }, `Dose of ${fmtMg(d.elemental_mg)}`)},
                         `I took it`));
            })),
        spacing.length ? el('p', {class: 'hint'}, offToday ? 'On magnesium days: ' : 'Why these times: ',
                            spacing.map((i) => i.spacing_rule).join(' ')) :
            offToday ? null : el('p', {class: 'hint'}, s.doses.length > 1 ?
               'Split in two, the body takes it up better and the stomach copes better.' :
               'One dose in the evening.')));
  }

  // The trial's instruction for today, and the rating it needs.
  if (running) {
    parts.push(el('div', {class: 'card', id: 'today-trial'},
        el('h2', {}, 'Your trial today'),
        el('p', {}, `Day ${status.day}: ` + (blindedToday ?
            `take today's dose from container ${status.container}.` : status.magnesium ?
            `a magnesium period — take ${fmtMg(trial.dose_mg)} today.` :
            'a period without magnesium — take none.') +
            (status.washout ? ' Washout days: rate anyway; these days are not analysed.' : '')),
        blindedToday ? renderTrialDose(trial, status, refreshToday, 'today-trial') : null,
        (status.todo || []).length ? el('ul', {class: 'todo'}, status.todo.map((x) => el('li', {}, x)))
                                   : null));
  } else if (trial && status && (status.phase === 'run_in' || status.phase === 'stopped')) {
    parts.push(el('div', {class: 'card', id: 'today-trial'}, el('h2', {}, 'Your trial today'),
        el('ul', {class: 'todo'}, (status.todo || []).map((x) => el('li', {}, x)))));
  } else if (trial && status && status.phase === 'not_started') {
    parts.push(el('div', {class: 'card', id: 'today-trial'}, el('h2', {}, 'Your trial'),
                  el('p', {}, `Your trial starts on ${trial.start}.`)));
  }

  // One-tap rating of today's measure: the trial's outcome, or the first complaint's.
  // An outcome that is one number of an entry (cramp severity) logs its entry's own scale here;
  // the number itself is logged with the CLI or the API (journal_kind and measure say which).
  const rating = running || Boolean(status && status.phase === 'run_in');  // The run-in rates too.
  const kind = rating ? (trial.journal_kind || trial.outcome) :
      measureForCondition(((plan.findings || [])[0] || {}).condition || '');
  const spec = MEASURE_INPUT[kind] || MEASURE_INPUT.pain;
  const input = el('input', {type: 'number', id: 'today-measure', min: String(spec.min),
                             max: String(spec.max), inputmode: 'numeric',
                             'aria-describedby': 'today-log-status'});
  const logged = rating && status.rating_logged;
  parts.push(el('form', {class: 'card', id: 'today-log', novalidate: true, onsubmit: (e) => {
    e.preventDefault();
    const text = input.value.trim();
    if (text === '') {
      $('today-log-status').textContent = `${spec.label}: enter a number.`;
      input.focus();
      return;
    }
    logToday(e.target.querySelector('button'), {kind, value: Number(text)}, spec.label);
  }},
      el('h2', {}, 'Log today'),
      logged ? el('p', {class: 'hint'}, 'Today\'s rating is logged; a new one is added beside it.')
             : null,
      el('div', {class: 'field narrow'}, el('label', {for: 'today-measure'}, spec.label), input),
      el('button', {type: 'submit', id: 'today-log-button'}, 'Log it'),
      el('p', {id: 'today-log-status', class: 'status-line', role: 'status'})));
  $('today-body').replaceChildren(...parts);
}

// Logs one entry from the Today view, says so in words with an Undo, and redraws.
async function logToday(button, entry, what) {
  if (button) button.disabled = true;
  const result = await api('POST', '/api/journal/entries', entry);
  if (button) button.disabled = false;
  if (!result.ok) {
    const message = plainFieldMessage(errorText(result), {value: what});
    const line = $('today-log-status');
    if (line) line.textContent = message;
    return;
  }
  await refreshToday();
  const warnings = (result.data && result.data.warnings) || [];
  const undo = el('button', {type: 'button', class: 'secondary small', id: 'today-undo'}, 'Undo');
  undo.addEventListener('click', async () => {
    await api('POST', '/api/journal/undo', {});
    await refreshToday();
    $('today-log-status').textContent = 'Undone.';
  });
  $('today-log-status').replaceChildren(`Logged: ${what}. `, ...warnings.map((w) => `${w} `), undo);
}

// ---------------------------------------------------------------------------------------------
// Foods: autocomplete combobox, logging, intake.

const food = {results: [], active: -1, chosen: null, timer: null, seq: 0};

function closeOptions() {
  $('food-options').hidden = true;
  $('food-search').setAttribute('aria-expanded', 'false');
  $('food-search').removeAttribute('aria-activedescendant');
  food.active = -1;
}

function renderOptions() {
  const list = $('food-options');
  list.replaceChildren();
  food.results.forEach((r, i) => {
    const serving = r.serving ? `; ${servingText(r.serving)}: ${fmtMg(r.magnesium_mg_per_serving)}`
                              : '';
    list.append(el('li', {role: 'option', id: `food-option-${i}`,
                          'aria-selected': i === food.active ? 'true' : 'false',
                          onmousedown: (e) => e.preventDefault(),
                          onclick: () => chooseFood(i)},
                   r.name,
                   el('span', {class: 'meta'},
                      `${fmtMg(r.magnesium_mg_per_100g)} per 100 g${serving}`)));
  });
  const open = food.results.length > 0;
  list.hidden = !open;
  $('food-search').setAttribute('aria-expanded', open ? 'true' : 'false');
  if (food.active >= 0) {
    $('food-search').setAttribute('aria-activedescendant', `food-option-${food.active}`);
    $(`food-option-${food.active}`).scrollIntoView({block: 'nearest'});
  } else {
    $('food-search').removeAttribute('aria-activedescendant');
  }
}

async function searchFoods(query) {
  const seq = ++food.seq;
  const result = await api('GET', `/api/foods/search?q=${encodeURIComponent(query)}&limit=8`);
  if (seq !== food.seq) return;  // A newer keystroke has already asked.
  if (!result.ok) {
    $('food-error').textContent = errorText(result);
    food.results = [];
  } else {
    $('food-error').textContent = '';
    food.results = result.data.results || [];
    if (!food.results.length) $('food-error').textContent = `No food matches "${query}".`;
  }
  food.active = -1;
  renderOptions();
}

function servingText(serving) {
  if (typeof serving !== 'object') return String(serving);
  return `${serving.label} (${Math.round(serving.grams)} g)`;
}

function chooseFood(i) {
  const r = food.results[i];
  if (!r) return;
  food.chosen = r;
  $('food-search').value = r.name;
  $('food-chosen').textContent = `${r.name}: ${fmtMg(r.magnesium_mg_per_100g)} per 100 g` +
      (r.serving ? `; one portion is ${servingText(r.serving)} ` +
                       `(${fmtMg(r.magnesium_mg_per_serving)})` : '');
  closeOptions();
}

function setUpFoods() {
  const input = $('food-search');
  input.addEventListener('input', () => {
    food.chosen = null;
    $('food-chosen').textContent = '';
    clearTimeout(food.timer);
    const query = input.value.trim();
    if (query.length < 2) {
      food.results = [];
      closeOptions();
      return;
    }
    food.timer = setTimeout(() => searchFoods(query), 200);
  });
  input.addEventListener('keydown', (event) => {
    const open = !$('food-options').hidden;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!food.results.length) return;
      food.active = open ? (food.active + 1) % food.results.length : 0;
      renderOptions();
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (!food.results.length) return;
      food.active = food.active <= 0 ? food.results.length - 1 : food.active - 1;
      renderOptions();
    } else if (event.key === 'Enter' && open) {
      event.preventDefault();
      chooseFood(food.active >= 0 ? food.active : 0);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      closeOptions();
    }
  });
  input.addEventListener('blur', () => setTimeout(closeOptions, 100));
  $('food-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.target, logFood);
  });
}

async function logFood() {
  $('food-error').textContent = '';
  if (!food.chosen) {
    $('food-error').textContent = 'Choose a food from the list first.';
    $('food-search').focus();
    return;
  }
  const amount = numberOrNull($('food-amount'));
  if (amount === null || !(amount > 0)) {
    $('food-error').textContent = 'Amount: enter a number above 0.';
    $('food-amount').focus();
    return;
  }
  const unit = document.querySelector('input[name="food-unit"]:checked').value;
  const body = {food: food.chosen.source, [unit]: amount};
  if ($('food-date').value) body.date = $('food-date').value;
  const result = await api('POST', '/api/journal/foods', body);
  if (!result.ok) {
    $('food-error').textContent = errorText(result);
    return;
  }
  const entry = result.data.entry;
  $('food-chosen').textContent = `Logged: ${entry.label} (${fmtMg(entry.magnesium_mg)}).`;
  food.chosen = null;
  $('food-search').value = '';
  $('diary-date').value = entry.date;
  await refreshIntake();
  await refreshDiary();
}

// The food diary: one day's foods and supplements, a day at a time, each removable (two steps)
// with Undo.
async function refreshDiary() {
  const box = $('food-diary');
  const date = $('diary-date').value.trim() || state.today || '';
  if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    box.replaceChildren(el('p', {class: 'error'}, 'Day: write the date as YYYY-MM-DD.'));
    return;
  }
  const data = await getOrShowError(`/api/journal/foods${date ? `?date=${date}` : ''}`, box);
  if (!data) return;
  $('diary-date').value = data.date;
  const all = [...data.foods, ...data.supplements];
  box.replaceChildren(
      el('p', {id: 'diary-total'}, `${data.date}: `, el('strong', {}, fmtMg(data.total_mg)),
         ` (food ${fmtMg(data.food_mg)}, supplements ${fmtMg(data.supplement_mg)})` +
         (data.without_magnesium ? `; ${data.without_magnesium} without a known amount, so at least this.`
                                 : '.')),
      all.length ? el('ul', {class: 'entry-list', id: 'diary-list'}, all.map((e) => {
        const text = describeEntry(e);
        const remove = el('button', {type: 'button', class: 'secondary small',
                                     'aria-label': `Remove ${text}`}, 'Remove');
        const yes = el('button', {type: 'button', class: 'small diary-remove-yes', hidden: '',
                                  'aria-label': `Yes, remove ${text}`}, 'Yes, remove');
        remove.addEventListener('click', () => { remove.hidden = true; yes.hidden = false; yes.focus(); });
        yes.addEventListener('click', async () => {
          const deleted = await api('DELETE', `/api/journal/entries/${encodeURIComponent(e.id)}`);
          setGlobalStatus(deleted.ok ? 'Removed. "Undo" brings it back.'
                                     : `Could not remove: ${errorText(deleted)}`);
          await refreshDiary();
          await refreshIntake();
        });
        return el('li', {'data-kind': e.kind}, el('span', {}, text),
                  el('span', {class: 'entry-actions'}, remove, yes));
      })) : el('p', {}, 'Nothing logged on this day.'),
      el('button', {type: 'button', class: 'secondary small', id: 'diary-undo', onclick: async () => {
        const result = await api('POST', '/api/journal/undo', {});
        const u = result.ok && result.data.undone;
        setGlobalStatus(!result.ok ? `Could not undo: ${errorText(result)}` :
                        !u ? 'Nothing to undo.' : `Undone: ${describeEntry(u.entry)}`);
        await refreshDiary();
        await refreshIntake();
      }}, 'Undo last change'));
}

function setUpDiary() {
  const step = (days) => {
    const date = $('diary-date').value.trim() || state.today;
    if (!date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return refreshDiary();
    $('diary-date').value = addDays(date, days);
    return refreshDiary();
  };
  $('diary-prev').addEventListener('click', () => step(-1));
  $('diary-next').addEventListener('click', () => step(1));
  $('diary-date').addEventListener('change', refreshDiary);
}

// GETs path; on failure shows the error in box and resolves to null.
async function getOrShowError(path, box) {
  const result = await api('GET', path);
  if (result.ok) return result.data;
  box.replaceChildren(el('p', {class: 'error'}, errorText(result)));
  return null;
}

async function refreshIntake() {
  const box = $('intake');
  const data = await getOrShowError('/api/intake', box);
  if (!data) return;
  const days = data.days || [];
  const target = data.target;
  if (days.length) state.today = days[days.length - 1].date;
  const today = days[days.length - 1];
  const week = days.reduce((sum, d) => sum + d.total_mg, 0);
  const parts = [];
  if (today) {
    parts.push(el('p', {class: 'meter', id: 'intake-today'}, 'Today: ',
                  el('strong', {}, fmtMg(today.total_mg)),
                  target ? ` of your ${fmtMg(target.intake_mg)} a day` : '',
                  ` (food ${fmtMg(today.food_mg)}, supplements ${fmtMg(today.supplement_mg)}).`));
    if (target) {
      parts.push(el('p', {class: 'hint'}, `Target: the ${target.intake_kind} for ` +
                    `${target.label}.`));
    }
  }
  parts.push(el('p', {}, `Last ${days.length} days: ${fmtMg(week)} in total, ` +
                `${fmtMg(days.length ? week / days.length : 0)} a day on average.`));
  if (!target) {
    parts.push(el('p', {class: 'hint'},
                  'Save your profile to see your daily target.'));
  } else if (target.supplemental_ul_mg) {
    parts.push(el('p', {class: 'hint'}, `Supplements should stay under ` +
                  `${fmtMg(target.supplemental_ul_mg)} a day (upper limit).`));
  }
  parts.push(el('div', {class: 'chart'}, intakeChart(days, target, chartWidth(box))));
  parts.push(el('div', {class: 'table-wrap'}, el('table', {},
      el('caption', {class: 'hint'}, 'Magnesium per day'),
      el('thead', {}, el('tr', {}, ['Date', 'Food', 'Supplements', 'Total'].map((h, i) =>
          el('th', {scope: 'col', class: i ? 'num' : null}, h)))),
      el('tbody', {}, days.map((d) => el('tr', {},
          el('td', {class: 'date'}, d.date), el('td', {class: 'num'}, fmtMg(d.food_mg)),
          el('td', {class: 'num'}, fmtMg(d.supplement_mg)),
          el('td', {class: 'num'}, fmtMg(d.total_mg))))))));
  box.replaceChildren(...parts);
}

// Charts are drawn at the width they are shown at (between 240 and 720 units), so their text
// stays legible on a phone instead of shrinking with the whole picture.
function chartWidth(container) {
  return Math.round(Math.min(720, Math.max(240, container.clientWidth || 640)));
}

// Stacked bars (food, supplements) per day with the target as a dashed line.
function intakeChart(days, target, width) {
  const W = width, H = width < 500 ? 240 : 220, left = 40, bottom = 28, top = 16;
  const max = Math.max(target ? target.intake_mg : 0, ...days.map((d) => d.total_mg), 100) * 1.1;
  const y = (v) => H - bottom - (v / max) * (H - bottom - top);
  const slot = (W - left - 8) / Math.max(days.length, 1);
  const chart = svg('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img',
                            'aria-label': 'Magnesium intake per day, food and supplements'});
  chart.append(svg('line', {x1: left, x2: W - 4, y1: y(0), y2: y(0), stroke: '#4a525c'}));
  for (const v of [0, max / 2]) {
    chart.append(svg('text', {x: left - 4, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 13,
                              fill: '#4a525c'}, String(Math.round(v))));
  }
  days.forEach((d, i) => {
    const x = left + i * slot + slot * 0.15, w = slot * 0.7;
    chart.append(svg('rect', {x, width: w, y: y(d.food_mg), height: y(0) - y(d.food_mg),
                              fill: '#2e7d32', 'data-date': d.date},
                     svg('title', {}, `${d.date}: food ${Math.round(d.food_mg)} mg`)));
    chart.append(svg('rect', {x, width: w, y: y(d.total_mg), height: y(d.food_mg) - y(d.total_mg),
                              fill: '#0b5cad'},
                     svg('title', {}, `${d.date}: supplements ${Math.round(d.supplement_mg)} mg`)));
    // Date labels about 60 px apart, so they never run into each other.
    const every = Math.max(1, Math.ceil(days.length / Math.max(2, Math.floor((W - left) / 60))));
    if ((days.length - 1 - i) % every === 0) {
      chart.append(svg('text', {x: x + w / 2, y: H - 8, 'text-anchor': 'middle',
                                'font-size': 13, fill: '#4a525c'}, d.date.slice(5)));
    }
  });
  if (target) {
    chart.append(svg('line', {x1: left, x2: W - 4, y1: y(target.intake_mg),
                              y2: y(target.intake_mg), stroke: '#a4161a',
                              'stroke-dasharray': '6 4', 'stroke-width': 2}));
  }
  return el('figure', {},
            chart,
            el('ul', {class: 'chart-legend'},
               el('li', {}, el('span', {class: 'swatch', style: 'background:#2e7d32'}), 'Food'),
               el('li', {}, el('span', {class: 'swatch', style: 'background:#0b5cad'}),
                  'Supplements'),
               target ? el('li', {}, el('span', {class: 'swatch', style: 'background:#a4161a'}),
                           `Target (${Math.round(target.intake_mg)} mg a day, dashed line)`)
                      : null));
}

// ---------------------------------------------------------------------------------------------
// Symptoms: entry forms, recent entries, chart.

function setUpSymptoms() {
  // One form on screen at a time: "What to log" chooses it.
  $('entry-kind').addEventListener('change', () => {
    for (const form of document.querySelectorAll('.entry-form')) {
      form.hidden = form.dataset.kind !== $('entry-kind').value;
    }
  });
  for (const form of document.querySelectorAll('.entry-form')) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      busy(form, () => submitEntry(form));
    });
  }
  // A day without migraine is an entry of its own (severity 0), so migraine days can be counted.
  const none = $('migraine-none');
  none.addEventListener('click', () => busy(none.form, () => logNoMigraine(none.form)));
}

async function submitEntry(form) {
  const kind = form.dataset.kind;
  const errorBox = form.querySelector('.error');
  errorBox.textContent = '';
  for (const node of form.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  const entry = {kind};
  if ($('entry-date').value) entry.date = $('entry-date').value;
  for (const input of form.querySelectorAll('[data-key]')) {
    const key = input.dataset.key;
    const text = input.value.trim();
    if (text === '') continue;
    entry[key] = input.type === 'number' ? Number(text) : text;
  }
  // A night's further numbers (cramp minutes, awakenings...) go under "measures"; blank ones are
  // left out, so an optional detail is never stored as 0.
  for (const input of form.querySelectorAll('[data-measure]')) {
    const text = input.value.trim();
    if (text === '') continue;
    entry.measures = {...entry.measures, [input.dataset.measure]: measureValue(input, text)};
  }
  const result = await api('POST', '/api/journal/entries', entry);
  if (!result.ok) {
    const labels = {};
    for (const input of form.querySelectorAll('[data-key], [data-measure]')) {
      const key = input.dataset.key || input.dataset.measure;
      if (input.labels && input.labels[0]) labels[key] = input.labels[0].textContent;
    }
    labels.date = 'Date';
    const message = errorText(result);
    errorBox.textContent = plainFieldMessage(message, labels);
    // Mark the input the message names ("value: ...", "intensity: ...", "label: ...").
    const field = (/^([a-z_ ]+):/.exec(message) || [])[1];
    const measures = [...form.querySelectorAll('[data-measure]')].map((i) => i.dataset.measure);
    for (const input of form.querySelectorAll('[data-key], [data-measure]')) {
      const key = input.dataset.key || input.dataset.measure;
      if (field && (key === field || (field !== 'date' && key === 'value' &&
                    !['label', 'note', 'intensity', 'magnesium_mg', ...measures]
                        .includes(field)))) {
        input.setAttribute('aria-invalid', 'true');
      }
    }
    return;
  }
  form.reset();
  await refreshEntries();
  // Recorded all the same; a dose above the day's limit is said plainly.
  const warnings = (result.data && result.data.warnings) || [];
  errorBox.textContent = warnings.join(' ');
  setGlobalStatus(warnings.length ? warnings.join(' ') : '');
}

// A measure as the journal stores it: a clock time ("06:30") as minutes after midnight (390),
// hours (1.5) as whole minutes (90); anything else is the number typed.
function measureValue(input, text) {
  if (input.dataset.as === 'time') {
    const [h, m] = text.split(':').map(Number);
    return h * 60 + m;
  }
  if (input.dataset.as === 'hours') return Math.round(Number(text) * 60);
  return Number(text);
}

// "06:30" for 390 minutes after midnight; "1 h 30 min" for 90 minutes.
function clockTime(minutes) {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
function duration(minutes) {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h ? `${h} h${m ? ` ${m} min` : ''}` : `${m} min`;
}

async function logNoMigraine(form) {
  const errorBox = form.querySelector('.error');
  const entry = {kind: 'migraine', value: 0};
  if ($('entry-date').value) entry.date = $('entry-date').value;
  const result = await api('POST', '/api/journal/entries', entry);
  if (!result.ok) {
    errorBox.textContent = plainFieldMessage(errorText(result), {date: 'Date'});
    return;
  }
  form.reset();
  errorBox.textContent = '';
  await refreshEntries();
  setGlobalStatus(`Logged: no migraine on ${entry.date || 'today'}.`);
}

function describeEntry(e) {
  switch (e.kind) {
    case 'cramps':
      return `Cramps: ${e.value}` + (e.intensity !== undefined ? `, worst ${e.intensity}/10` : '') +
          measureWords(e.measures, {minutes: (v) => `${v} min in all`,
                                    sleep_disturbance: (v) => `sleep disturbed ${v}/10`});
    case 'irls': return `IRLS score: ${e.value}/40`;
    case 'pain': return `Pain: ${e.value}/10`;
    case 'sleep':
      return `Sleep: ${e.value}/10` +
          measureWords(e.measures, {minutes_to_sleep: (v) => `${v} min to fall asleep`,
                                    awakenings: (v) => `woke ${v} ${v === 1 ? 'time' : 'times'}`});
    case 'sleep-minutes': return `Asleep: ${e.value} min (${e.label || 'device'})`;
    case 'migraine':
      if (e.value === 0) return 'No migraine';
      return `Migraine: worst ${e.value}/10` +
          measureWords(e.measures, {start_minute: (v) => `from ${clockTime(v)}`,
                                    duration_minutes: (v) => `lasted ${duration(v)}`}) +
          (e.label ? `, took ${e.label}` : '');
    case 'stress': return `Stress: ${e.value}/10`;
    case 'dose': return `Dose: ${fmtMg(e.magnesium_mg)} ${e.label || ''}`;
    case 'food':
    case 'supplement':
      return `${e.kind === 'food' ? 'Food' : 'Supplement'}: ${e.label}` +
          (e.magnesium_mg !== undefined ? ` (${fmtMg(e.magnesium_mg)})` : '');
    case 'side-effect': return `Side effect: ${e.label}${e.note ? ` — ${e.note}` : ''}`;
    case 'note': return `Note: ${e.note}`;
    default: return `${e.kind}: ${e.label || e.note || e.value || ''}`;
  }
}

// ", 5 min in all, sleep disturbed 4/10" for the measures an entry carries, in `say`'s order.
function measureWords(measures, say) {
  const said = Object.keys(say).filter((name) => measures && measures[name] !== undefined)
      .map((name) => say[name](measures[name]));
  return said.length ? `, ${said.join(', ')}` : '';
}

// The entry list shows PAGE_SIZE entries at a time, newest first; older ones a click away.
const PAGE_SIZE = 40;
let entryPage = 0;

// Deleting takes two clicks (Delete, then "Yes, delete"); "Undo" brings back the latest change.
function entryItem(e) {
  const text = describeEntry(e);
  const remove = el('button', {type: 'button', class: 'secondary small entry-delete',
                               'aria-label': `Delete ${e.date} ${text}`}, 'Delete');
  const confirm = el('button', {type: 'button', class: 'small entry-delete-yes', hidden: '',
                                'aria-label': `Yes, delete ${e.date} ${text}`}, 'Yes, delete');
  remove.addEventListener('click', () => {
    remove.hidden = true;
    confirm.hidden = false;
    confirm.focus();
  });
  confirm.addEventListener('click', async () => {
    const deleted = await api('DELETE', `/api/journal/entries/${encodeURIComponent(e.id)}`);
    setGlobalStatus(deleted.ok ? 'Deleted. "Undo last change" brings it back.'
                               : `Could not delete: ${errorText(deleted)}`);
    await refreshEntries();
  });
  const edit = EDITABLE[e.kind] ? el('button', {type: 'button', class: 'secondary small entry-edit',
                                                'aria-label': `Edit ${e.date} ${text}`}, 'Edit')
                                 : null;
  const item = el('li', {'data-kind': e.kind, 'data-id': String(e.id)},
                  el('span', {}, el('strong', {}, e.date), ' ', text),
                  el('span', {class: 'entry-actions'}, edit, remove, confirm));
  if (edit) edit.addEventListener('click', () => item.replaceWith(entryEditor(e, refreshEntries)));
  return item;
}

// The field a person corrects in each kind of entry, with its label (PATCH /api/journal/entries).
const EDITABLE = {
  cramps: ['value', 'Number of cramps', 'number'], irls: ['value', 'IRLS total score', 'number'],
  pain: ['value', 'Pain (0-10)', 'number'], sleep: ['value', 'Sleep quality (0-10)', 'number'],
  migraine: ['value', 'Worst severity (0 = no migraine)', 'number'],
  stress: ['value', 'Stress (0-10)', 'number'],
  dose: ['magnesium_mg', 'Elemental magnesium (mg)', 'number'],
  note: ['note', 'Note', 'text'], 'side-effect': ['label', 'What happened', 'text'],
};

// An entry opened for editing: its date and main field, Save or Cancel; errors in the form's words.
function entryEditor(e, done) {
  const [key, label, type] = EDITABLE[e.kind];
  const id = `edit-${e.id}`;
  const date = el('input', {id: `${id}-date`, type: 'text', pattern: '\\d{4}-\\d{2}-\\d{2}',
                            'aria-describedby': `${id}-error`});
  date.value = e.date;
  const field = el('input', {id: `${id}-${key}`, type, 'aria-describedby': `${id}-error`});
  field.value = e[key] === undefined ? '' : e[key];
  const error = el('p', {id: `${id}-error`, class: 'error'});
  const form = el('form', {class: 'entry-editor', novalidate: true},
      el('div', {class: 'row'},
         el('div', {class: 'field'}, el('label', {for: date.id}, 'Date (YYYY-MM-DD)'), date),
         el('div', {class: 'field'}, el('label', {for: field.id}, label), field)),
      error,
      el('button', {type: 'submit', class: 'small'}, 'Save'), ' ',
      el('button', {type: 'button', class: 'secondary small', onclick: () => done()}, 'Cancel'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = field.value.trim();
    const change = {date: date.value.trim()};
    change[key] = type === 'number' ? (text === '' ? null : Number(text)) : text;
    const result = await api('PATCH', `/api/journal/entries/${encodeURIComponent(e.id)}`, change);
    if (!result.ok) {
      error.textContent = plainFieldMessage(errorText(result), {[key]: label, date: 'Date'});
      return;
    }
    setGlobalStatus('Saved. "Undo last change" puts the old value back.');
    await done();
  });
  return el('li', {'data-kind': e.kind, class: 'editing'}, form);
}

async function refreshEntries() {
  const box = $('entries');
  const data = await getOrShowError('/api/journal/entries', box);
  if (!data) return;
  const entries = data.entries || [];
  const newest = entries.filter((e) => e.kind !== 'food').sort((a, b) => (b.date.localeCompare(a.date)) || (b.id - a.id));
  const pages = Math.max(1, Math.ceil(newest.length / PAGE_SIZE));
  entryPage = Math.min(entryPage, pages - 1);
  const shown = newest.slice(entryPage * PAGE_SIZE, (entryPage + 1) * PAGE_SIZE);
  const undo = el('button', {type: 'button', id: 'entries-undo', class: 'secondary small'},
                  'Undo last change');
  undo.addEventListener('click', async () => {
    const result = await api('POST', '/api/journal/undo', {});
    if (!result.ok) {
      setGlobalStatus(`Could not undo: ${errorText(result)}`);
    } else {
      const u = result.data.undone;
      setGlobalStatus(!u ? 'Nothing to undo.'
          : `Undone (${u.change}): ${u.entry.date} ${describeEntry(u.entry)}`);
    }
    await refreshEntries();
  });
  const pager = (label, id, page) => {
    const button = el('button', {type: 'button', id, class: 'secondary small'}, label);
    button.addEventListener('click', async () => {
      entryPage = page;
      await refreshEntries();
    });
    return button;
  };
  box.replaceChildren(
      shown.length ? el('ul', {class: 'entry-list'}, shown.map(entryItem))
                   : el('p', {}, 'Nothing logged yet.'),
      el('p', {id: 'entries-pager'},
         pages > 1 ? `Page ${entryPage + 1} of ${pages} (${newest.length} entries). ` : '',
         entryPage > 0 ? pager('Newer entries', 'entries-newer', entryPage - 1) : null,
         entryPage + 1 < pages ? pager('Older entries', 'entries-older', entryPage + 1) : null,
         undo));
  const redraw = () => $('symptom-chart').replaceChildren(
      rangePicker(entries, redraw), symptomCharts(entries, chartWidth($('symptom-chart'))));
  redraw();
}

// One chart per symptom, each with its own scale and the direction that is better said in words
// (a cramp count and a sleep rating never share an axis).
const SERIES = [
  {kind: 'cramps', name: 'Cramps (number a day)', colour: '#a4161a', max: null, better: 'lower'},
  {kind: 'irls', name: 'Restless legs (IRLS score, 0-40)', colour: '#6a1b9a', max: 40,
   better: 'lower'},
  {kind: 'pain', name: 'Pain (0-10)', colour: '#7a4b00', max: 10, better: 'lower'},
  {kind: 'sleep', name: 'Sleep quality (0-10)', colour: '#0b5cad', max: 10, better: 'higher'},
  {kind: 'migraine', name: 'Migraine (worst severity a day, 0 = none)', colour: '#1b5e20', max: 10,
   better: 'lower'},
  {kind: 'stress', name: 'Stress (0-10)', colour: '#4a4a4a', max: 10, better: 'lower'},
];

const RANGES = [[7, '7 days'], [28, '28 days'], [90, '90 days'], [0, 'All']];
state.range = 28;

// The range picker above the symptom charts; redraws them from the entries already loaded.
function rangePicker(entries, redraw) {
  return el('div', {class: 'range-picker', role: 'group', 'aria-label': 'Time shown'},
            RANGES.map(([days, label]) => el('button', {
              type: 'button', class: 'secondary small', 'data-days': String(days),
              'aria-pressed': String(state.range === days),
              onclick: () => {
                state.range = days;
                redraw();
                document.querySelector(`#symptom-chart [data-days="${days}"]`)?.focus();
              }}, label)));
}

function symptomCharts(entries, width) {
  const symptomEntries = entries.filter((e) => SERIES.some((s) => s.kind === e.kind));
  if (!symptomEntries.length) {
    return el('p', {}, 'Log a symptom to see it over time here.');
  }
  const dates = entries.map((e) => e.date).sort();
  const last = state.today && state.today > dates[dates.length - 1] ? state.today
                                                                     : dates[dates.length - 1];
  const span = state.range || Math.max(7, Math.round((Date.parse(`${last}T00:00:00Z`) -
                                                      Date.parse(`${dates[0]}T00:00:00Z`)) /
                                                     864e5) + 1);
  const first = addDays(last, -(span - 1));
  const doses = entries.filter((e) => e.kind === 'dose' && e.date >= first);
  const charts = [];
  for (const s of SERIES) {
    const points = symptomEntries.filter((e) => e.kind === s.kind && e.date >= first)
        .sort((a, b) => a.date.localeCompare(b.date));
    if (!points.length) continue;
    charts.push(oneSymptomChart(s, points, doses, first, last, span, width));
  }
  if (!charts.length) return el('p', {}, 'Nothing logged in this time; choose a longer one.');
  return el('div', {}, charts);
}

function oneSymptomChart(s, points, doses, first, last, span, width) {
  const max = s.max || Math.max(5, ...points.map((p) => p.value));
  const W = width, H = width < 500 ? 190 : 170, left = 34, right = 12, top = 10, bottom = 26;
  const x = (date) => {
    const days = (Date.parse(`${date}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / 864e5;
    return left + (days / Math.max(1, span - 1)) * (W - left - right);
  };
  const y = (v) => H - bottom - (Math.min(v, max) / max) * (H - top - bottom);
  const chart = svg('svg', {viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'symptom-svg',
                            id: `symptom-svg-${s.kind}`,
                            'aria-label': `${s.name} from ${first} to ${last}, ` +
                                          `${s.better} is better`});
  for (const v of [0, max / 2, max]) {
    chart.append(svg('line', {x1: left, x2: W - right, y1: y(v), y2: y(v), stroke: '#d5dae0'}));
    chart.append(svg('text', {x: left - 6, y: y(v) + 4, 'text-anchor': 'end', 'font-size': 13,
                              fill: '#4a525c'}, String(Math.round(v * 10) / 10)));
  }
  for (const [d, anchor] of [[first, 'start'], [last, 'end']]) {
    chart.append(svg('text', {x: x(d), y: H - 6, 'text-anchor': anchor, 'font-size': 13,
                              fill: '#4a525c'}, d.slice(5)));
  }
  for (const e of doses) {
    chart.append(svg('rect', {x: x(e.date) - 3, y: top, width: 6, height: H - top - bottom,
                              fill: '#2e7d32', opacity: 0.18},
                     svg('title', {}, `${e.date}: dose ${Math.round(e.magnesium_mg)} mg`)));
  }
  chart.append(svg('polyline', {fill: 'none', stroke: s.colour, 'stroke-width': 2,
                                points: points.map((p) => `${x(p.date)},${y(p.value)}`).join(' ')}));
  for (const p of points) {
    chart.append(svg('circle', {cx: x(p.date), cy: y(p.value), r: 4, fill: s.colour,
                                class: 'point', 'data-kind': s.kind, 'data-date': p.date},
                     svg('title', {}, `${p.date}: ${s.name} ${p.value}`)));
  }
  return el('figure', {class: 'chart', 'data-kind': s.kind},
            el('figcaption', {}, el('strong', {}, s.name), ` — ${s.better} is better`),
            chart,
            doses.length ? el('p', {class: 'hint'}, 'Shaded days: a magnesium dose was logged.')
                         : null);
}

// ---------------------------------------------------------------------------------------------
// Trial

async function refreshTrial() {
  const box = $('trial-current');
  const reportBox = $('trial-report');
  const result = await api('GET', '/api/trials/current');
  if (!result.ok) {
    box.replaceChildren(el('p', {class: 'error'}, errorText(result)));
    $('trial-form').hidden = false;
    return;
  }
  const {trial, periods, status} = result.data;
  if (!trial) {
    box.replaceChildren(el('p', {}, state.hasProfile ?
        'No trial yet. Start one below: it uses the dose and form your plan gives.' :
        'No trial yet. Save your profile first; the trial uses the dose and form your plan gives.'));
    $('trial-form').hidden = false;
    reportBox.replaceChildren();
    return;
  }
  // A trial that is over leaves room for the next one.
  $('trial-form').hidden = !(trial.ended || (status && status.phase === 'finished'));
  const protocol = await api('GET', '/api/trials/current/protocol');
  box.replaceChildren(renderTrial(trial, periods || [], status,
                                  protocol.ok ? protocol.data : null));
  const report = await getOrShowError('/api/trials/current/report', reportBox);
  if (report) reportBox.replaceChildren(renderReport(report));
}

// The trial form's own option texts name each outcome, so the page says one thing everywhere.
function outcomeName(id) {
  const option = [...$('trial-outcome').options].find((o) => o.value === id);
  return option ? option.textContent : words(id);
}

// The calendar puts the washout at the start of every period (its first days), so the words do.
function trialShape(trial) {
  // A run-in (no magnesium, ratings only) comes before the pairs: the whole length includes it.
  const runIn = trial.run_in_days ?
      `${trial.run_in_days + trial.days} days, ${trial.run_in_start} to ${trial.end}: a ` +
      `${trial.run_in_days}-day run-in without magnesium (rate every day), then ` : '';
  return (runIn || `${trial.days} days, ${trial.start} to ${trial.end}: `) +
      `${trial.magnesium_first.length} pairs of ${trial.period_days}-day periods; the first ` +
      `${trial.washout_days} days of every period are washout (rated, not analysed). Dose on ` +
      `magnesium periods: ${fmtMg(trial.dose_mg)} ${words(trial.form)} a day.`;
}

function renderTrial(trial, periods, status, protocol) {
  const running = status && status.phase !== 'finished' && !trial.ended;
  const blinding = trial.blinding;
  const parts = [el('div', {class: 'card'},
      el('h2', {}, `Trial: ${outcomeName(trial.outcome)}` +
                   (blinding ? ' (blinded)' : '')),
      el('p', {}, trialShape(trial)),
      (trial.secondary || []).length ? el('p', {id: 'trial-secondaries'}, 'Also measured: ' +
          trial.secondary.map((x) => outcomeName(x.outcome) +
                                     (x.added ? ` (added on ${x.added}: exploratory)` : ''))
              .join('; ') + '.') : null,
      trial.ended ? el('p', {}, `Ended early on ${trial.ended}` +
                                (trial.end_reason ? `: ${trial.end_reason}.` : '.')) : null,
      renderProtocol(trial, protocol),
      running ? renderEndTrial() : null)];
  if (blinding) parts.push(renderBlinding(trial, status));
  if (status) {
    const todo = status.todo || [];
    parts.push(el('div', {class: 'card', id: 'trial-today'},
        el('h2', {}, 'Today'),
        el('p', {}, status.phase === 'not_started' ? 'The trial has not started yet.' :
                    status.phase === 'finished' ? 'The trial is finished: read the report below.' :
                    status.phase === 'run_in' ? `Run-in day ${status.run_in_day}: no magnesium.` :
                    status.phase === 'stopped' ? 'The trial stopped after its run-in.' :
                    `Day ${status.day}, pair ${status.pair}: ` +
                    (status.container ? `take today's dose from container ${status.container}.` :
                     status.magnesium ? 'a magnesium period — take your dose.'
                                      : 'a period without magnesium — take none.') +
                    (status.washout ? ' Washout days: ratings are kept but not analysed.' : '')),
        todo.length ? el('ul', {class: 'todo'}, todo.map((t) => el('li', {}, t))) : null,
        status.phase === 'running' && (status.container || status.magnesium) ?
            renderTrialDose(trial, status, refreshTrial, 'trial') : null));
  }
  if (periods.length) {
    parts.push(el('div', {class: 'card'}, el('h2', {}, 'Calendar'),
        el('div', {class: 'table-wrap'}, el('table', {id: 'trial-periods'},
            el('thead', {}, el('tr', {}, ['Pair', 'Period', 'From', 'To', 'Washout until']
                .map((h) => el('th', {scope: 'col'}, h)))),
            el('tbody', {}, periods.map((p) => el('tr',
                {class: p.magnesium ? 'period-mg' : 'period-off'},
                el('td', {}, p.run_in ? '' : p.pair),
                el('td', {}, p.run_in ? 'Run-in (no magnesium)' :
                             p.container && p.magnesium == null ? `Container ${p.container}` :
                             `${p.magnesium ? 'Magnesium' : 'No magnesium'}` +
                             (p.container ? ` (container ${p.container})` : '')),
                el('td', {}, p.start), el('td', {}, p.end), el('td', {}, p.washout_end))))))));
  }
  return el('div', {}, parts);
}

// The protocol was registered (hashed) when the trial was saved; the hash lets anyone check later
// that the plan of analysis was not changed after the data came in.
function renderProtocol(trial, protocol) {
  const sha = (protocol && protocol.sha256) || (trial.protocol && trial.protocol.sha256);
  if (!sha) return null;
  const check = protocol && protocol.check;
  return el('p', {id: 'trial-protocol'}, 'Protocol registered when the trial was saved; its ' +
            'fingerprint (SHA-256) is ', el('code', {class: 'hash'}, sha),
            check ? (check.intact ? '. It has not changed since.' :
                                    '. It has changed since: the report says how.') : '.');
}

// Today's trial dose in one tap: blinded, from the container the calendar names, with a guess
// of what is in it (the report compares the guesses with the truth after unblinding).
function renderTrialDose(trial, status, after, prefix) {
  if (status.dose_logged) {
    return el('p', {id: `${prefix}-dose-done`, class: 'done'}, '✓ Today\'s trial dose is logged.');
  }
  const error = el('p', {id: `${prefix}-dose-error`, class: 'error'});
  const guess = status.container ? el('select', {id: `${prefix}-guess`},
      el('option', {value: 'unsure'}, 'I can\'t tell'),
      el('option', {value: 'magnesium'}, 'Magnesium'),
      el('option', {value: 'placebo'}, 'Placebo')) : null;
  const button = el('button', {type: 'button', id: `${prefix}-took`},
      status.container ? `I took today's container ${status.container}` :
                         `I took today's ${fmtMg(trial.dose_mg)}`);
  button.addEventListener('click', (event) => {
    busy(event.target, async () => {
      const result = await api('POST', '/api/trials/current/dose',
                               guess ? {guess: guess.value} : {});
      if (!result.ok) {
        error.textContent = errorText(result);
        return;
      }
      await after();
    });
  });
  return el('div', {class: 'trial-dose'},
      guess ? el('label', {for: `${prefix}-guess`}, 'What do you think it holds?') : null, guess,
      button, error);
}

// A blinded trial: sealed while it runs; after its end (or once ended early) the key on the
// helper's sheet opens it.
function renderBlinding(trial, status) {
  const b = trial.blinding;
  if (b.magnesium_container) {
    return el('div', {class: 'card', id: 'trial-blinding'}, el('h2', {}, 'Unblinded'),
        el('p', {}, `Container ${b.magnesium_container} held the magnesium` +
                    (b.unblinded ? ` (unblinded on ${b.unblinded}).` : '.')));
  }
  const over = Boolean(trial.ended) || (status && status.phase === 'finished');
  if (!over) {
    return el('div', {class: 'card', id: 'trial-blinding'}, el('h2', {}, 'Blinded'),
        el('p', {}, 'Which container holds magnesium stays sealed until the trial ends; then ' +
                    'the key on your helper\'s sheet opens it here.'));
  }
  const key = el('input', {id: 'trial-unblind-key', type: 'text', autocomplete: 'off',
                           spellcheck: 'false', placeholder: 'K7QX-M2TF-9RWC-H3PD',
                           'aria-describedby': 'trial-unblind-error'});
  const error = el('p', {id: 'trial-unblind-error', class: 'error'});
  const form = el('form', {id: 'trial-unblind-form', novalidate: ''},
      el('h2', {}, 'Unblind the trial'),
      el('p', {}, 'Type the unblinding key from your helper\'s sheet.'),
      el('div', {class: 'field'}, el('label', {for: 'trial-unblind-key'}, 'Unblinding key'), key),
      error, el('button', {type: 'submit'}, 'Unblind'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    busy(form, async () => {
      error.textContent = '';
      key.removeAttribute('aria-invalid');
      const result = await api('POST', '/api/trials/current/unblind', {key: key.value.trim()});
      if (!result.ok) {
        error.textContent = errorText(result);
        key.setAttribute('aria-invalid', 'true');
        key.focus();
        return;
      }
      await refreshTrial();
    });
  });
  return el('div', {class: 'card', id: 'trial-blinding'}, form);
}

// The helper's sheet comes back once, when a blinded trial starts, and is kept nowhere: it shows
// until the person says it is printed or copied, and leaving the page before that asks first.
function guardSheet(event) {
  event.preventDefault();
  event.returnValue = '';
}

function showHelperSheet(sheet) {
  const box = $('trial-sheet-box');
  const done = () => {
    window.removeEventListener('beforeunload', guardSheet);
    box.replaceChildren();
  };
  const print = el('button', {type: 'button', id: 'trial-sheet-print'}, 'Print the sheet');
  print.addEventListener('click', () => {
    document.body.classList.add('print-sheet');
    window.addEventListener('afterprint', () => document.body.classList.remove('print-sheet'),
                            {once: true});
    window.print();
  });
  const close = el('button', {type: 'button', id: 'trial-sheet-done', class: 'secondary'},
                   'I have printed or copied it');
  close.addEventListener('click', done);
  window.addEventListener('beforeunload', guardSheet);
  box.replaceChildren(el('div', {class: 'card', id: 'trial-sheet', role: 'region',
                                 'aria-labelledby': 'trial-sheet-title'},
      el('h2', {id: 'trial-sheet-title', tabindex: '-1'}, 'Your helper\'s sheet'),
      el('p', {class: 'safety-line', id: 'trial-sheet-warning'},
         el('strong', {}, 'This sheet will not be shown again. '),
         'mgadvisor does not keep it. Print it (or copy it) for your helper now, without ' +
         'reading which container holds magnesium. Keep it until the end: its key unblinds the ' +
         'trial.'),
      el('pre', {id: 'trial-sheet-text'}, sheet),
      el('div', {class: 'no-print'}, print, ' ', close)));
  $('trial-sheet-title').focus();
}

// Ending a trial cannot be undone, so it takes two steps: the button opens a reason field and
// a confirming button.
function renderEndTrial() {
  const reason = el('input', {id: 'trial-end-reason', type: 'text', maxlength: '500',
                              'aria-describedby': 'trial-end-error'});
  const error = el('p', {id: 'trial-end-error', class: 'error'});
  const confirm = el('div', {id: 'trial-end-confirm', hidden: ''},
      el('label', {for: 'trial-end-reason'}, 'Why are you ending it? (kept with the trial)'),
      reason,
      el('p', {}, 'Ending stops the trial today; the report then covers the days so far and ' +
                  'gives no verdict.'),
      el('button', {type: 'button', id: 'trial-end-yes'}, 'Yes, end the trial'),
      error);
  const open = el('button', {type: 'button', id: 'trial-end', class: 'secondary'},
                  'End the trial early…');
  open.addEventListener('click', () => {
    confirm.hidden = false;
    open.hidden = true;
    reason.focus();
  });
  confirm.querySelector('#trial-end-yes').addEventListener('click', (event) => {
    busy(event.target, async () => {
      const result = await api('POST', '/api/trials/current/end', {reason: reason.value.trim()});
      if (!result.ok) {
        error.textContent = errorText(result);
        return;
      }
      await refreshTrial();
    });
  });
  return el('div', {}, open, confirm);
}

// The server draws the charts; its SVG strings are inserted as markup (and only those).
// They keep the size they are drawn at (12 px text) and scroll sideways on a narrow screen, rather
// than shrinking their text to 8 px; the scrolling box takes the focus, so a keyboard scrolls it.
function serverSvg(markup, label) {
  const holder = el('div', {class: 'chart server-chart', role: 'group', 'aria-label': label,
                            tabindex: '0'});
  if (typeof markup === 'string' && markup.trim().startsWith('<')) {
    const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
    const root = doc.documentElement;
    if (root && root.nodeName.toLowerCase() === 'svg') {
      for (const s of root.querySelectorAll('script, foreignObject')) s.remove();
      holder.append(document.importNode(root, true));
    }
  }
  return holder;
}

function renderReport(r) {
  const e = r.estimate;
  return el('div', {class: 'card', id: 'trial-report-card'},
      el('h2', {}, 'Report'),
      el('p', {}, el('strong', {}, r.conclusion || words(r.verdict))),
      el('p', {}, `As of ${r.as_of}: ${r.usable_pairs} of ${r.planned_pairs} pairs usable. ` +
                  `Verdict: ${words(r.verdict)}.`),
      r.adherence ? el('p', {}, `Doses logged on ${r.adherence.magnesium_days_dosed} of ` +
                                `${r.adherence.magnesium_days} magnesium days.`) : null,
      e ? el('p', {}, `Estimated improvement with magnesium: ${e.improvement.toFixed(2)} ` +
                      `(±${(e.se || 0).toFixed(2)}); chance it helps at least the smallest ` +
                      `difference that matters: ${Math.round(e.prob_at_least_mid * 100)}%.`)
        : null,
      (r.secondaries || []).length ? renderSecondaries(r.secondaries) : null,
      el('h3', {}, 'Timeline'), serverSvg(r.timeline_svg, 'Trial timeline'),
      el('h3', {}, 'Magnesium intake'), serverSvg(r.intake_svg, 'Magnesium intake during the trial'),
      (r.side_effects || []).length ? el('h3', {}, 'Side effects') : null,
      (r.side_effects || []).length ? el('ul', {}, r.side_effects.map((s) =>
          el('li', {}, `${s.date}: ${s.what}${s.note ? ` — ${s.note}` : ''}`))) : null);
}

// Secondary outcomes: what each showed, with the probability adjusted for measuring several
// things (Holm) when it was registered at the start; one added later is a lead, not a result.
function renderSecondaries(list) {
  const FINDINGS = {better: 'better with magnesium', worse: 'worse with magnesium',
                    no_clear_difference: 'no clear difference', not_enough_data: 'not enough data yet'};
  return el('div', {id: 'trial-secondary-results'},
      el('h3', {}, 'Also measured'),
      el('p', {class: 'hint'}, 'The verdict above rests on the first outcome alone. These are ' +
          'read more cautiously: measuring several things makes a chance finding likelier.'),
      el('ul', {}, list.map((x) => {
        const e = x.estimate;
        const p = x.registered ? x.p_holm : x.p;
        return el('li', {'data-outcome': x.outcome},
            `${outcomeName(x.outcome)}: ${FINDINGS[x.finding] || words(x.finding)}` +
            (e ? ` (difference ${e.improvement.toFixed(2)} ${x.unit}, 95% interval ` +
                 `${e.ci95_low.toFixed(2)} to ${e.ci95_high.toFixed(2)})` : '') +
            (p !== null && p !== undefined ?
                `; p = ${p.toFixed(3)}${x.registered ? ' after adjustment' : ''}` : '') +
            (x.registered ? '.' : ` — added on ${x.added}, after the start: a lead to test in ` +
                                  'a new trial, not a result.'));
      })));
}

// The secondary-outcome boxes are the outcome list itself, less the outcome chosen first.
function fillSecondaryChoices() {
  const list = $('trial-secondary-list');
  const primary = $('trial-outcome').value;
  const checked = new Set([...list.querySelectorAll('input:checked')].map((b) => b.value));
  list.replaceChildren(...[...$('trial-outcome').options]
      .filter((o) => o.value !== primary)
      .map((o) => {
        const box = el('input', {type: 'checkbox', id: `trial-secondary-${o.value}`,
                                 value: o.value});
        box.checked = checked.has(o.value);
        return el('div', {class: 'check'}, box, el('label', {for: box.id}, o.textContent));
      }));
}

function chosenSecondaries() {
  return [...$('trial-secondary-list').querySelectorAll('input:checked')].map((b) => b.value);
}

// Starting is two steps: a dry run shows the trial's length and dates, then the person starts
// that very trial (same seed) or changes the form.
function setUpTrial() {
  let previewed = null;
  const hidePreview = () => {
    previewed = null;
    $('trial-preview').hidden = true;
  };
  fillSecondaryChoices();
  $('trial-outcome').addEventListener('change', fillSecondaryChoices);
  for (const id of ['trial-outcome', 'trial-start', 'trial-pairs', 'trial-blind',
                    'trial-run-in-done', 'trial-secondary']) {
    $(id).addEventListener('change', hidePreview);
  }
  $('trial-cancel').addEventListener('click', hidePreview);
  $('trial-form').addEventListener('submit', (event) => {
    event.preventDefault();
    busy(event.target, async () => {
      $('trial-error').textContent = '';
      const body = {outcome: $('trial-outcome').value, pairs: Number($('trial-pairs').value)};
      if ($('trial-start').value) body.start = $('trial-start').value;
      if ($('trial-blind').checked) body.blind = true;
      if ($('trial-run-in-done').checked) body.run_in_done = true;
      const secondary = chosenSecondaries();
      if (secondary.length) body.secondary = secondary;
      const result = await api('POST', '/api/trials', {...body, dry_run: true});
      if (!result.ok) {
        hidePreview();
        $('trial-error').textContent = errorText(result);
        return;
      }
      previewed = {...body, seed: result.data.trial.seed};
      $('trial-preview-text').textContent = `This trial lasts ${trialShape(result.data.trial)}` +
          (secondary.length ? ` Also measured: ${secondary.map(outcomeName).join('; ')}.` : '') +
          (body.blind ? ' Blinded: on starting you get a sheet for your helper, shown only once.' :
                        '');
      $('trial-preview').hidden = false;
      $('trial-confirm').focus();
    });
  });
  $('trial-confirm').addEventListener('click', (event) => {
    if (!previewed) return;
    busy(event.target, async () => {
      const result = await api('POST', '/api/trials', previewed);
      if (!result.ok) {
        $('trial-error').textContent = errorText(result);
        return;
      }
      hidePreview();
      await refreshTrial();
      if (result.data.helper_sheet) showHelperSheet(result.data.helper_sheet);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Check a claim: POST /api/check, then the text with each claim marked by verdict. A verdict is
// told by a label and a symbol as well as by colour, and each marked claim is a button, so its
// explanation opens from the keyboard, a click or a tap.

const VERDICTS = {
  supported: {symbol: '✓', label: 'Supported'},
  overstated: {symbol: '▲', label: 'Overstated'},
  contradicted: {symbol: '✗', label: 'Contradicted'},
  unsupported: {symbol: '?', label: 'Unsupported'},
  unverified_source: {symbol: '!', label: 'Unverified source'},
  not_assessed: {symbol: '○', label: 'Not assessed'},
};

function verdictOf(claim) {
  return VERDICTS[claim.verdict] || {symbol: '•', label: words(claim.verdict)};
}

function claimExplanation(claim, index) {
  const v = verdictOf(claim);
  return el('div', {class: `check-explanation check-v-${claim.verdict}`, id: `check-exp-${index}`},
    el('p', {class: 'check-explanation-head'},
      el('span', {class: 'check-label', text: `${v.symbol} ${v.label}`}),
      ` ${words(claim.claim_type)}${claim.topic ? ` · ${words(claim.topic)}` : ''}`),
    el('p', {class: 'check-quote', text: claim.text}),
    el('p', {text: claim.explanation}),
    claim.evidence.length ? el('p', {class: 'hint', text: `Evidence: ${claim.evidence.join(', ')}`})
      : null,
    claim.citations.length ? citationList(claim.citations) : null,
    el('p', {class: 'hint', text: `Rules: ${claim.rules.join(', ')}`}));
}

function showClaimExplanation(claims, index) {
  const panel = $('check-explanation');
  panel.replaceChildren(claimExplanation(claims[index], index));
  for (const button of document.querySelectorAll('#check-marked .check-claim')) {
    button.setAttribute('aria-expanded', String(Number(button.dataset.index) === index));
  }
}

function claimButton(claims, index, text) {
  const claim = claims[index];
  const v = verdictOf(claim);
  const show = () => showClaimExplanation(claims, index);
  return el('button', {
    type: 'button',
    class: `check-claim check-v-${claim.verdict}`,
    'data-index': String(index),
    'data-verdict': claim.verdict,
    'aria-expanded': 'false',
    'aria-controls': 'check-explanation',
    onfocus: show,
    onclick: show,
  }, el('span', {class: 'check-label', text: `${v.symbol} ${v.label}`}), ' ', text);
}

// The input with each claim's span marked. Offsets are UTF-8 byte offsets into the input, so
// the text is sliced as bytes. An HTML page shows only its claims, in order: its markup is not
// worth reading.
function renderMarkedText(input, result) {
  const claims = result.claims;
  const box = el('div', {id: 'check-marked', class: 'check-marked card'});
  if (result.summary.format === 'html') {
    claims.forEach((claim, i) => box.append(el('p', {}, claimButton(claims, i, claim.text))));
    return box;
  }
  const bytes = new TextEncoder().encode(input);
  const decode = (from, to) => new TextDecoder().decode(bytes.subarray(from, to));
  let at = 0;
  claims.forEach((claim, i) => {
    if (claim.start < at) return;  // Overlapping spans are not expected; never print twice.
    if (claim.start > at) box.append(decode(at, claim.start));
    box.append(claimButton(claims, i, decode(claim.start, claim.end)));
    at = claim.end;
  });
  if (at < bytes.length) box.append(decode(at, bytes.length));
  return box;
}

function renderCheck(input, result) {
  const out = $('check-output');
  const s = result.summary;
  const counts = Object.entries(s.by_verdict)
    .filter(([, n]) => n > 0)
    .map(([verdict, n]) => el('li', {class: `check-v-${verdict}`},
      el('span', {class: 'check-label', text: `${verdictOf({verdict}).symbol} ${verdictOf({verdict}).label}`}),
      ` ${n}`));
  const summary = el('p', {id: 'check-summary',
    text: `${s.sentences} sentences read, ${s.claims} health claims, ${s.flagged} flagged.`});
  if (result.claims.length === 0) {
    out.replaceChildren(summary, el('p', {text: 'No sentence here makes a health claim about magnesium that the checker recognises.'}));
    return;
  }
  out.replaceChildren(
    summary,
    el('ul', {class: 'check-legend', 'aria-label': 'Claims by verdict'}, counts),
    renderMarkedText(input, result),
    el('div', {id: 'check-explanation', class: 'check-panel', 'aria-live': 'polite'},
      el('p', {class: 'hint', text: 'Select a marked claim to see what the evidence says.'})));
}

function setUpCheck() {
  $('check-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.currentTarget;
    busy(form, async () => {
      const text = $('check-text').value;
      $('check-error').textContent = '';
      if (!text.trim()) {
        $('check-error').textContent = 'Paste some text to check.';
        $('check-text').focus();
        return;
      }
      const result = await api('POST', '/api/check', {text});
      if (!result.ok) {
        $('check-error').textContent = errorText(result);
        $('check-output').replaceChildren();
        return;
      }
      renderCheck(text, result.data);
    });
  });
}

// The product field of the profile form: "Read the label" shows what POST /api/label read, so a
// person sees the magnesium per pill before the plan counts pills of it.
function setUpProductLabel() {
  $('p-product-read').addEventListener('click', () => {
    const out = $('p-product-summary');
    const error = $('p-product-label-error');
    busy($('profile-form'), async () => {
      error.textContent = '';
      const text = $('p-product-label').value;
      if (!text.trim()) {
        error.textContent = 'Paste the label first.';
        $('p-product-label').focus();
        return;
      }
      const result = await api('POST', '/api/label', {text});
      if (!result.ok) {
        error.textContent = errorText(result);
        out.replaceChildren();
        return;
      }
      const l = result.data;
      const perUnit = l.elemental_mg_per_unit;
      out.replaceChildren(
          el('p', {id: 'p-product-read-result'},
             perUnit === null ?
                 'This label does not say how much magnesium one pill or mL holds, so a plan ' +
                     'cannot count it.' :
                 `${fmtMg(perUnit)} of magnesium in each ${l.serving_units.unit || 'unit'}; ` +
                     `${fmtMg(l.elemental_mg_per_serving)} per serving of ` +
                     `${l.serving_units.count} ${l.serving_units.unit}.`),
          (l.warnings || []).length ?
              el('ul', {class: 'hint'}, l.warnings.map((w) => el('li', {}, w.message))) : null);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Start

async function start() {
  setUpAccounts();
  setUpProductLabel();
  setUpFoods();
  setUpSymptoms();
  setUpDiary();
  setUpTrial();
  setUpCheck();
  $('profile-form').addEventListener('submit', submitProfile);
  $('edit-profile').addEventListener('click', () => {
    const open = $('profile-box').hidden;
    showProfileEditor(open);
    if (open) $('p-age').focus();
  });
  $('print-plan').addEventListener('click', () => window.print());
  $('step-back').addEventListener('click', () => {
    clearFieldErrors();
    goToStep(state.step - 1);
  });
  $('step-skip').addEventListener('click', skipStep);
  $('p-pregnancy').addEventListener('change', showGestation);
  $('add-medicine').addEventListener('click', () => addMedicineRow().focus());
  addMedicineRow();
  window.addEventListener('hashchange', () => showSection(true));

  const health = await api('GET', '/api/health');
  if (health.status === 0) {
    // Opened from the service worker's copy while the server is stopped or out of reach.
    setGlobalStatus('Cannot reach the mgadvisor server: start it (mgadvisor serve) and reload. ' +
                    'Nothing you type now can be saved.');
    showSection(false);
    document.body.dataset.ready = 'true';
    return;
  }
  if (health.ok && health.data.mode) {
    state.mode = health.data.mode === 'multi' ? 'multi' : 'local';
  } else {
    // A server whose health does not say its mode: account routes answer 404 in local mode.
    const probe = await api('GET', '/api/session');
    state.mode = probe.status === 404 ? 'local' : 'multi';
  }
  document.body.dataset.mode = state.mode;
  if (state.mode === 'multi') applySignupMode(health.ok ? health.data.signup : 'open');
  await loadKnowledge();
  if (state.mode === 'multi') {
    const session = await api('GET', '/api/session');
    if (!session.ok) {
      showSignedOut();
      document.body.dataset.ready = 'true';
      return;
    }
    await showSignedIn(session.data);
  } else {
    await loadProfile();
    showSection(false);
  }
  document.body.dataset.ready = 'true';
  document.body.dataset.readyMs = String(Math.round(performance.now()));
  // Offline once loaded: the service worker keeps the page's own files (never the API's answers).
  if ('serviceWorker' in navigator && window.isSecureContext) {
    navigator.serviceWorker.register('/sw.js').catch(() => {});
  }
}

start();
