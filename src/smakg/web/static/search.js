// The landing page's search: finds entities by name, alias or identifier in search.json, in the browser (no
// request per search). Results are built with DOM calls and textContent only, never as HTML.
(function () {
  'use strict';
  var form = document.getElementById('search-form');
  if (!form) { return; }
  var input = document.getElementById('search-q');
  var list = document.getElementById('search-results');
  var status = document.getElementById('search-status');
  var index = null;

  function norm(text) { return String(text).toLowerCase().replace(/\s+/g, ' ').trim(); }
  function normId(text) { return norm(text).replace(/_/g, ':'); }

  // Best first: identifier, name, alias exactly; then name or alias starting with the text; then containing it.
  function score(entry, text) {
    var id = normId(text), best = -1;
    entry.i.forEach(function (i) { if (normId(i) === id) { best = 0; } });
    if (best === 0) { return 0; }
    var names = [[norm(entry.n), 0]].concat(entry.a.map(function (a) { return [norm(a), 1]; }));
    names.forEach(function (pair) {
      var s = -1;
      if (pair[0] === text) { s = 1 + pair[1]; }
      else if (pair[0].indexOf(text) === 0) { s = 3 + pair[1]; }
      else if (pair[0].indexOf(text) > 0) { s = 5 + pair[1]; }
      if (s >= 0 && (best < 0 || s < best)) { best = s; }
    });
    if (best < 0) {
      entry.i.forEach(function (i) { if (normId(i).indexOf(id) >= 0) { best = 7; } });
    }
    return best;
  }

  function matched(entry, text) {
    var hit = entry.a.filter(function (a) { return norm(a).indexOf(text) >= 0; })[0];
    if (hit && norm(entry.n).indexOf(text) < 0) { return 'alias ' + hit; }
    var id = entry.i.filter(function (i) { return normId(i).indexOf(normId(text)) >= 0; })[0];
    return id && norm(entry.n).indexOf(text) < 0 ? 'identifier ' + id : '';
  }

  function run() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var text = norm(input.value);
    if (!index) { return; }
    if (!text) { status.textContent = 'Type a name, an alias or an identifier.'; return; }
    var found = [];
    index.forEach(function (entry) {
      var s = score(entry, text);
      if (s >= 0) { found.push([s, entry]); }
    });
    found.sort(function (a, b) { return a[0] - b[0] || (a[1].n < b[1].n ? -1 : a[1].n > b[1].n ? 1 : 0); });
    found.slice(0, 25).forEach(function (pair) {
      var entry = pair[1], li = document.createElement('li'), a = document.createElement('a');
      a.href = entry.u;
      a.textContent = entry.n;
      li.appendChild(a);
      var kind = document.createElement('span');
      kind.className = 'kind';
      var why = matched(entry, text);
      kind.textContent = ' ' + entry.k + (why ? ' · ' + why : '');
      li.appendChild(kind);
      list.appendChild(li);
    });
    status.textContent = found.length === 0 ? 'Nothing matches.' :
      found.length + (found.length === 1 ? ' match' : ' matches') + (found.length > 25 ? ' (the first 25 shown)' : '');
  }

  input.addEventListener('input', run);
  form.addEventListener('submit', function (event) { if (index) { event.preventDefault(); run(); } });
  fetch(form.getAttribute('data-index'))
    .then(function (reply) { return reply.json(); })
    .then(function (data) { index = data; run(); })
    .catch(function () { status.textContent = 'The search index could not be loaded; the Find button asks the server.'; });
}());
