// Forms marked data-progress-form post in the background and show a progress bar fed by the
// server's NDJSON lines ({phase, done, total}, then {location} or {error}). Without this
// script the forms post normally.
(function () {
  "use strict";

  function show(box, percent, text) {
    box.hidden = false;
    const bar = box.querySelector(".progress-bar");
    bar.style.width = percent + "%";
    bar.setAttribute("aria-valuenow", String(Math.round(percent)));
    box.querySelector("[data-progress-text]").textContent = text;
  }

  function phaseText(box, line) {
    const label = box.dataset["phase" + line.phase.replace(/[^a-z]/gi, "")] || line.phase;
    return line.total ? label + " " + line.done + " / " + line.total : label + " " + line.done;
  }

  document.querySelectorAll("form[data-progress-form]").forEach(function (form) {
    const box = document.getElementById(form.dataset.progressForm);
    if (!box || !window.XMLHttpRequest) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const buttons = form.querySelectorAll("button[type=submit]");
      buttons.forEach(function (b) { b.disabled = true; });
      const xhr = new XMLHttpRequest();
      let seen = 0;
      let finished = false;
      xhr.open(form.method || "POST", form.action);
      xhr.setRequestHeader("X-Progress", "ndjson");
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) show(box, 100 * e.loaded / e.total, box.dataset.uploading || "");
      };
      function consume() {
        const text = xhr.responseText;
        const end = text.lastIndexOf("\n");
        if (end < seen) return;
        text.slice(seen, end).split("\n").forEach(function (raw) {
          if (!raw.trim()) return;
          const line = JSON.parse(raw);
          if (line.location && !line.error) {
            finished = true;
            window.location.assign(line.location);
          } else if (line.error) {
            finished = true;
            if (line.location) { window.location.assign(line.location); return; }
            box.querySelector("[data-progress-text]").textContent = line.error;
            box.classList.add("text-danger");
            buttons.forEach(function (b) { b.disabled = false; });
          } else {
            const percent = line.total ? 100 * line.done / line.total : 50;
            show(box, Math.min(100, percent), phaseText(box, line));
          }
        });
        seen = end + 1;
      }
      xhr.onprogress = consume;
      xhr.onload = function () {
        consume();
        if (!finished) {
          // not a progress stream (e.g. a form error page): show it as a normal response would
          document.open();
          document.write(xhr.responseText);
          document.close();
        }
      };
      xhr.onerror = function () {
        box.querySelector("[data-progress-text]").textContent = box.dataset.failed || "error";
        buttons.forEach(function (b) { b.disabled = false; });
      };
      xhr.send(new FormData(form));
    });
  });
})();
