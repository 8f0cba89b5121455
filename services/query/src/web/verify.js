// Runs entirely in the browser with libs/ocmf's pure-JS verifier (window.Ocmf, bundled from
// libs/ocmf/src/browser.ts). Nothing leaves the page.
(function () {
  const $ = (id) => document.getElementById(id);
  function text(el, tag, value) {
    const node = document.createElement(tag);
    node.textContent = value;
    el.appendChild(node);
    return node;
  }
  $('check').addEventListener('click', () => {
    const out = $('verdict');
    const details = $('details');
    details.textContent = '';
    const read = window.Ocmf.readContainer($('data').value);
    if (!read.ok) {
      out.className = 'error';
      out.textContent = 'ERROR: ' + read.reason;
      return;
    }
    const results = read.datasets.map((d) => window.Ocmf.verifyOcmf(d.ocmf, { publicKey: $('key').value.trim() || d.publicKey }));
    const worst = results.some((r) => r.verdict === 'error') ? 'error' : results.some((r) => r.verdict === 'invalid') ? 'invalid' : 'valid';
    out.className = worst;
    out.textContent = worst.toUpperCase() + ': ' + results.map((r) => r.reason).join(' | ');
    results.forEach((r) => {
      if (!r.dataset) return;
      const s = window.Ocmf.checkSession(r.dataset.payload);
      text(details, 'p', 'Pagination ' + (r.pagination || '?') + ', algorithm ' + (r.algorithm || '?') +
        (s.energy ? ', energy delivered ' + s.energy.delivered.text + ' ' + s.energy.unit : ', no energy figure: ' + s.energyWithheld));
      const table = document.createElement('table');
      const head = table.insertRow();
      ['Reading', 'Time (UTC)', 'Clock', 'Value', 'Unit', 'Cable loss', 'Status'].forEach((h) => text(head, 'th', h));
      r.dataset.payload.readings.forEach((rd) => {
        const row = table.insertRow();
        [rd.type, rd.time ? rd.time.iso : '', rd.time ? rd.time.status : '', rd.value ? rd.value.text : '', rd.unit || '', rd.cumulatedLoss ? rd.cumulatedLoss.text : '', rd.status || '']
          .forEach((v) => text(row, 'td', String(v ?? '')));
      });
      details.appendChild(table);
    });
  });
})();
