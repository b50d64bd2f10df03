"""The site's stylesheet and script (``assets/site.css``, ``assets/site.js``), written once per build.

The script is a classic script (no modules: Chromium refuses module scripts from ``file://``) and builds every
dynamic element from the page's JSON data block with ``textContent``, ``setAttribute`` and
``createElementNS``, never ``innerHTML``, so no text from the database or a submission can become markup.

Hooks the browser test reads: ``body[data-ready]`` once the page script ran, ``table.board`` per suite with
``data-sorted-by``/``data-sort-dir``, ``tr.entry[data-room-n]``, ``#f-env``/``#f-policy``/``#f-suite``/
``#f-room`` filters, ``#step-k`` (the shown step), ``#viewer[data-state]`` (``loading``, ``loaded``,
``error: ...``, ``unavailable``).
"""

CSS = """
:root{--fg:#1d2430;--mute:#667085;--line:#d9dee7;--head:#f2f5f9;--acc:#2456c4;--ok:#137a3a;--warn:#a05a00}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:0;color:var(--fg)}
header.top{background:#17202e;color:#fff;padding:14px 28px}header.top a{color:#fff;text-decoration:none}
header.top h1{margin:0;font-size:20px}header.top p{margin:4px 0 0;color:#c5cedb;font-size:12px}
main{padding:18px 28px;max-width:1400px}h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:18px 0 6px}a{color:var(--acc)}.note{color:var(--mute);font-size:12px}
table{border-collapse:collapse;font-size:13px;margin:6px 0}th,td{border:1px solid var(--line);padding:4px 8px;
text-align:right;white-space:nowrap;vertical-align:middle}th{background:var(--head);user-select:none}
table.board th{cursor:pointer}td.l,th.l{text-align:left}th.asc::after{content:" \\25B2"}th.desc::after{content:" \\25BC"}
tr:nth-child(even) td{background:#fafbfc}td.thumb{padding:2px}td.thumb img{width:48px;height:48px;display:block}
.filters{display:flex;gap:14px;flex-wrap:wrap;align-items:center;margin:10px 0;padding:10px;background:var(--head);
border-radius:6px}.filters label{font-size:12px;color:var(--mute)}.filters select{margin-left:4px}
.badge{display:inline-block;padding:1px 7px;border-radius:9px;font-size:11px;border:1px solid}
.badge.verified{color:var(--ok);border-color:var(--ok)}.badge.self{color:var(--warn);border-color:var(--warn)}
.badge.local{color:var(--mute);border-color:var(--mute)}pre{background:#f6f8fa;padding:8px;border-radius:4px;
white-space:pre-wrap;word-break:break-word;max-height:260px;overflow:auto;font-size:12px;margin:4px 0}
.grid{display:flex;flex-wrap:wrap;gap:10px}.card{width:150px;font-size:11px}.card img{width:150px;height:150px;
border:1px solid var(--line);display:block;background:#eee}.cols{display:flex;gap:24px;flex-wrap:wrap}
.cols>div{min-width:320px;flex:1}img.render{width:320px;height:320px;border:1px solid var(--line)}
model-viewer{width:100%;max-width:720px;height:480px;background:#eef1f5;border:1px solid var(--line)}
.stepper{display:flex;gap:8px;align-items:center;margin:6px 0}svg.plan{border:1px solid var(--line);background:#fff}
svg.chart text{font-size:11px;fill:#333}.hidden{display:none}
"""

JS = r"""
(function () {
  'use strict';
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }
  var node = document.getElementById('site-data');
  var data = node ? JSON.parse(node.textContent) : {};

  // ---------------------------------------------------------------- index: filters, ranking, sorting
  function fmt(s, d) { return (s === null || s === undefined || s[0] === null) ? '-' : s[0].toFixed(d); }
  function ci(s, d) { return (s === null || s === undefined || s[0] === null) ? '-' : s[0].toFixed(d) + ' \u00b1 ' + (1.96 * s[1]).toFixed(d); }
  function sortKey(row, col) {
    var v = row.cells[col].getAttribute('data-value');
    if (v === null) { return row.cells[col].textContent.trim().toLowerCase(); }
    return v === '' ? -Infinity : parseFloat(v);
  }
  function sortTable(table, col, dir) {
    var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = sortKey(a, col), y = sortKey(b, col);
      var c = (typeof x === 'number' && typeof y === 'number') ? x - y : String(x).localeCompare(String(y));
      return dir === 'asc' ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, i) {
      th.classList.remove('asc', 'desc'); if (i === col) { th.classList.add(dir); }
    });
    table.setAttribute('data-sorted-by', table.tHead.rows[0].cells[col].textContent.trim());
    table.setAttribute('data-sort-dir', dir);
  }
  function renderBoard() {
    var f = {};
    ['env', 'policy', 'suite', 'room'].forEach(function (k) { f[k] = document.getElementById('f-' + k).value; });
    var host = document.getElementById('boards');
    while (host.firstChild) { host.removeChild(host.firstChild); }
    data.suites.forEach(function (suite) {
      if (f.suite && f.suite !== suite) { return; }
      var lines = data.entries.filter(function (e) {
        return e.suite === suite && (!f.env || e.env === f.env) && (!f.policy || e.policy === f.policy) &&
          (!f.room || e.rooms[f.room]);
      }).map(function (e) { return {e: e, s: f.room ? e.rooms[f.room] : e.all}; });
      if (!lines.length) { return; }
      lines.sort(function (a, b) { return (b.s.stats.q[0] === null ? -1e9 : b.s.stats.q[0]) - (a.s.stats.q[0] === null ? -1e9 : a.s.stats.q[0]); });
      host.appendChild(el('h2', {id: 'suite-' + suite}, 'Suite ' + suite + (f.room ? ' \u00b7 ' + f.room : '')));
      var table = el('table', {'class': 'board', 'data-suite': suite}), head = el('tr');
      var heads = ['Rank', '', 'Entry', 'Policy', 'Env', 'Status', 'Scenes'].concat(data.columns.map(function (c) { return c[1]; }));
      heads.forEach(function (h, i) { head.appendChild(el('th', {'class': i > 1 && i < 6 ? 'l' : ''}, h)); });
      table.appendChild(el('thead')).appendChild(head);
      var body = table.appendChild(el('tbody'));
      lines.forEach(function (line, i) {
        var e = line.e, s = line.s, tr = el('tr', {'class': 'entry', 'data-entry': e.sid, 'data-room-n': String(s.n)});
        tr.appendChild(el('td', {'data-value': String(i + 1)}, i + 1));
        var td = el('td', {'class': 'thumb'});
        var thumb = f.room ? e.rooms[f.room].thumb : e.all.thumb;
        if (thumb) { td.appendChild(el('img', {src: thumb, alt: '', loading: 'lazy'})); }
        tr.appendChild(td);
        var name = el('td', {'class': 'l'}); name.appendChild(el('a', {href: e.href, 'class': 'entry-link'}, e.name));
        tr.appendChild(name);
        tr.appendChild(el('td', {'class': 'l'}, e.policy)); tr.appendChild(el('td', {'class': 'l'}, e.env));
        var st = el('td', {'class': 'l'}); st.appendChild(el('span', {'class': 'badge ' + e.badge}, e.status)); tr.appendChild(st);
        tr.appendChild(el('td', {'data-value': String(s.n_ok / Math.max(s.n, 1))}, s.n_ok + '/' + s.n));
        data.columns.forEach(function (c) {
          var v = s.stats[c[0]];
          tr.appendChild(el('td', {'data-value': v && v[0] !== null ? String(v[0]) : ''}, c[3] ? ci(v, c[2]) : fmt(v, c[2])));
        });
        body.appendChild(tr);
      });
      head.childNodes.forEach(function (th, i) {
        th.addEventListener('click', function () { sortTable(table, i, th.classList.contains('desc') ? 'asc' : 'desc'); });
      });
      host.appendChild(table);
      sortTable(table, 0, 'asc');
    });
    document.body.setAttribute('data-shown', String(document.querySelectorAll('tr.entry').length));
  }
  function setupIndex() {
    [['env', data.envs], ['policy', data.policies], ['suite', data.suites], ['room', data.rooms]].forEach(function (p) {
      var sel = document.getElementById('f-' + p[0]);
      p[1].forEach(function (v) { sel.appendChild(el('option', {value: v}, v)); });
      sel.addEventListener('change', renderBoard);
    });
    renderBoard();
  }

  // ---------------------------------------------------------------- scene page: trajectory stepper
  var COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];
  function color(cat) { var h = 0; for (var i = 0; i < cat.length; i++) { h = (h * 31 + cat.charCodeAt(i)) >>> 0; } return COLORS[h % COLORS.length]; }
  function plan(floor, objects) {
    var xs = floor.map(function (p) { return p[0]; }), ys = floor.map(function (p) { return p[1]; });
    var x0 = Math.min.apply(null, xs) - 0.3, y1 = Math.max.apply(null, ys) + 0.3;
    var w = Math.max.apply(null, xs) + 0.3 - x0, h = y1 - Math.min.apply(null, ys) + 0.3, k = 300 / Math.max(w, h);
    var s = svg('svg', {'class': 'plan', width: Math.round(w * k), height: Math.round(h * k), viewBox: '0 0 ' + (w * k) + ' ' + (h * k)});
    function X(x) { return (x - x0) * k; } function Y(y) { return (y1 - y) * k; }
    s.appendChild(svg('polygon', {points: floor.map(function (p) { return X(p[0]) + ',' + Y(p[1]); }).join(' '), fill: '#f4efe6', stroke: '#555', 'stroke-width': 2}));
    objects.forEach(function (o) {
      var g = svg('g', {transform: 'translate(' + X(o[2]) + ',' + Y(o[3]) + ') rotate(' + (-o[6] * 180 / Math.PI) + ')'});
      g.appendChild(svg('rect', {x: -o[4] * k / 2, y: -o[5] * k / 2, width: o[4] * k, height: o[5] * k, fill: color(o[1]), 'fill-opacity': 0.75, stroke: '#222', 'stroke-width': 0.7}));
      var t = svg('title'); t.textContent = o[0]; g.appendChild(t);
      s.appendChild(g);
    });
    return s;
  }
  function setupSteps() {
    var steps = data.steps || [], k = 0;
    if (!steps.length) { return; }
    var slider = document.getElementById('step-range');
    slider.max = String(steps.length - 1);
    function show() {
      var st = steps[k];
      document.getElementById('step-k').textContent = String(st.step);
      document.getElementById('step-n').textContent = String(steps[steps.length - 1].step);
      document.getElementById('step-action').textContent = st.action === null ? '(reset)' : st.action;
      document.getElementById('step-feedback').textContent = st.feedback || '';
      document.getElementById('step-reward').textContent = st.reward === null ? '-' : st.reward.toFixed(3);
      document.getElementById('step-valid').textContent = st.valid ? (st.applied ? 'applied' : 'valid, nothing applied') : 'invalid: ' + (st.error || '');
      var host = document.getElementById('step-image');
      while (host.firstChild) { host.removeChild(host.firstChild); }
      if (st.image) { host.appendChild(el('img', {src: st.image, alt: 'step ' + st.step, 'class': 'render'})); }
      else { host.appendChild(plan(st.floor, st.objects)); }
      document.getElementById('step-objects').textContent = String(st.objects.length);
      slider.value = String(k);
    }
    document.getElementById('step-prev').addEventListener('click', function () { k = Math.max(0, k - 1); show(); });
    document.getElementById('step-next').addEventListener('click', function () { k = Math.min(steps.length - 1, k + 1); show(); });
    slider.addEventListener('input', function () { k = parseInt(slider.value, 10) || 0; show(); });
    show();
  }

  // ---------------------------------------------------------------- scene page: 3D viewer
  function setupViewer() {
    var v = document.getElementById('viewer');
    if (!v) { return; }
    if (!window.customElements || !window.customElements.get('model-viewer') || !window.SCENE_GYM_GLB) {
      v.setAttribute('data-state', 'unavailable'); return;
    }
    v.setAttribute('data-state', 'loading');
    v.addEventListener('load', function () { v.setAttribute('data-state', 'loaded'); });
    v.addEventListener('error', function (ev) { v.setAttribute('data-state', 'error: ' + String(ev.detail && ev.detail.type)); });
    var raw = atob(window.SCENE_GYM_GLB), bin = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bin[i] = raw.charCodeAt(i); }
    new Response(new Blob([bin]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer().then(function (buf) {
      v.setAttribute('src', URL.createObjectURL(new Blob([buf], {type: 'model/gltf-binary'})));
    }).catch(function (err) { v.setAttribute('data-state', 'error: ' + err); });
  }

  if (data.page === 'index') { setupIndex(); }
  if (data.page === 'scene') { setupSteps(); setupViewer(); }
  document.body.setAttribute('data-ready', 'true');
})();
"""
