// Region picker: turns <input data-region-picker="county|any"> (a six-digit GB/T 2260 code)
// into cascading selects province → city → county fed by GET /api/v1/regions?parent=CODE.
// Without JavaScript the plain code input still works; the server checks the code either way.
(function () {
  "use strict";

  const API = "/api/v1/regions";
  const COUNTRY = "000000";

  function fetchJSON(url) {
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); });
  }

  function children(code) {
    return fetchJSON(API + "?parent=" + encodeURIComponent(code) + "&per_page=100")
      .then(function (data) { return data.items; });
  }

  function setup(input) {
    const mode = input.dataset.regionPicker;
    const labels = JSON.parse(input.dataset.regionLabels || "[]");
    const invalid = input.classList.contains("is-invalid");
    const row = document.createElement("div");
    row.className = "row g-2 region-picker";
    row.dataset.testid = "region-picker";
    const selects = [0, 1, 2].map(function (depth) {
      const col = document.createElement("div");
      col.className = "col-sm-4";
      const select = document.createElement("select");
      select.className = "form-select" + (invalid ? " is-invalid" : "");
      select.setAttribute("aria-label", labels[depth] || "");
      select.dataset.depth = String(depth + 1);
      select.hidden = true;
      col.appendChild(select);
      row.appendChild(col);
      select.addEventListener("change", function () { choose(depth, select.value); });
      return select;
    });
    input.type = "hidden";
    input.after(row);

    function clearFrom(depth) {
      for (let d = depth; d < selects.length; d++) { selects[d].hidden = true; selects[d].innerHTML = ""; }
    }

    function fill(depth, items, selected) {
      const select = selects[depth];
      select.innerHTML = "";
      const blank = document.createElement("option");
      // in "any" mode the first select's empty choice is the whole country
      blank.value = mode === "any" && depth === 0 ? COUNTRY : "";
      blank.textContent = "— " + (mode === "any" && depth === 0 ? labels[3] : labels[depth]) + " —";
      select.appendChild(blank);
      items.forEach(function (item) {
        const option = document.createElement("option");
        option.value = item.code;
        option.textContent = item.name;
        option.selected = item.code === selected;
        select.appendChild(option);
      });
      select.hidden = items.length === 0;
      clearFrom(depth + 1);
    }

    // What the input holds once `depth` is chosen: in "county" mode only a leaf region,
    // in "any" mode the deepest region chosen.
    function choose(depth, code) {
      clearFrom(depth + 1);
      if (!code) {
        input.value = mode === "any" && depth > 0 ? selects[depth - 1].value : "";
        return Promise.resolve();
      }
      if (code === COUNTRY || depth === selects.length - 1) {
        input.value = code;
        return Promise.resolve();
      }
      input.value = mode === "any" ? code : "";
      return children(code).then(function (items) {
        fill(depth + 1, items, null);
        if (items.length === 0) input.value = code;  // a city without counties (东莞市)
      });
    }

    function restore(code) {
      return fetchJSON(API + "/" + encodeURIComponent(code)).then(function (region) {
        const path = region.path.map(function (p) { return p.code; }).filter(function (c) { return c !== COUNTRY; });
        let chain = children(COUNTRY).then(function (items) { fill(0, items, path[0]); });
        path.forEach(function (c, i) {
          if (i + 1 >= selects.length) return;
          chain = chain.then(function () { return children(c); })
            .then(function (items) { if (items.length) fill(i + 1, items, path[i + 1]); });
        });
        return chain.then(function () { input.value = code; });
      });
    }

    const initial = (input.value || "").trim();
    const start = /^\d{6}$/.test(initial) && initial !== COUNTRY
      ? restore(initial)
      : children(COUNTRY).then(function (items) { fill(0, items, null); });
    start.catch(function () {
      // the API is unreachable: fall back to typing the code
      input.type = "text";
      row.remove();
    });
  }

  document.querySelectorAll("input[data-region-picker]").forEach(setup);
})();
