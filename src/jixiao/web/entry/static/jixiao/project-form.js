/* Project form: recompute amounts and the execution rate as the user types, and ask the
   server (the core's checks) for findings after a pause. No build step, no libraries.
   The server recomputes everything on save; this is only a convenience. */
(function () {
  "use strict";
  var form = document.getElementById("project-form");
  if (!form) { return; }
  function field(name) { return form.elements[name]; }
  // Decimal arithmetic on integers of 1/10000 so the browser never shows float noise.
  function parse(text) {
    var t = (text || "").trim().replace(/[,，]/g, "");
    if (t === "") { return null; }
    if (!/^\d+(\.\d{1,4})?$/.test(t)) { return NaN; }
    var parts = t.split(".");
    var frac = ((parts[1] || "") + "0000").slice(0, 4);
    return BigInt(parts[0]) * 10000n + BigInt(frac);
  }
  function show(units) {
    var neg = units < 0n; if (neg) { units = -units; }
    var whole = units / 10000n, frac = (units % 10000n).toString().padStart(4, "0").slice(0, 2);
    var cents = (units % 100n) >= 50n ? 1n : 0n; // half-up to cents
    var total = whole * 100n + BigInt(frac) + cents;
    return (neg ? "-" : "") + (total / 100n).toString() + "." + (total % 100n).toString().padStart(2, "0");
  }
  function rate(actual, budget) {
    if (actual === null || budget === null || budget === 0n || Number.isNaN(actual) || Number.isNaN(budget)) { return ""; }
    // percent with 2 decimals, half-up: actual*10000*2 / budget, then round
    var scaled = actual * 100n * 100n * 2n / budget; // 2x the value in 1/100 percent
    var rounded = (scaled + 1n) / 2n;
    return (rounded / 100n).toString() + "." + (rounded % 100n).toString().padStart(2, "0") + "%";
  }
  var rateOut = document.getElementById("computed-rate");
  var partsOut = document.getElementById("computed-parts");
  function recompute() {
    var budget = parse(field("budget").value), total = parse(field("actual_total").value);
    var parts = ["actual_general_budget", "actual_gov_fund", "actual_non_fiscal"].map(function (n) { return parse(field(n).value); });
    if (rateOut) { rateOut.textContent = rate(total, budget); }
    if (partsOut) {
      if (parts.some(function (p) { return Number.isNaN(p); })) { partsOut.textContent = ""; }
      else if (parts.every(function (p) { return p === null; })) { partsOut.textContent = ""; }
      else {
        var sum = parts.reduce(function (a, p) { return a + (p === null ? 0n : p); }, 0n);
        partsOut.textContent = show(sum);
        partsOut.className = (total !== null && !Number.isNaN(total) && sum !== total) ? "mismatch" : "";
      }
    }
  }
  var checkUrl = form.getAttribute("data-check-url");
  var timer = null;
  function renderFindings(findings) {
    var lists = form.querySelectorAll("[data-findings-for]");
    lists.forEach(function (ul) { ul.textContent = ""; });
    findings.forEach(function (f) {
      var ul = form.querySelector('[data-findings-for="' + f.slot + '"]');
      if (!ul) { return; }
      var li = document.createElement("li");
      li.className = "sev-" + f.severity;
      var b = document.createElement("b"); b.textContent = f.code;
      li.appendChild(b); li.appendChild(document.createTextNode(" " + f.message)); // text only, never HTML
      ul.appendChild(li);
    });
  }
  function check() {
    if (!checkUrl) { return; }
    fetch(checkUrl, { method: "POST", body: new FormData(form), credentials: "same-origin",
                      headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { if (data && data.valid) { renderFindings(data.findings); } })
      .catch(function () { /* offline or session expired: the save will tell */ });
  }
  form.addEventListener("input", function () {
    recompute();
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(check, 600);
  });
  recompute();
})();
