/* Cetak Biru — filters and sorting for the tables of the public site. Vanilla JS, no dependencies.

   A filterable table:
     <table class="cb-filter" data-filters="opd,tahun,sumber" data-label-opd='{"DISKOMINFO": "Diskominfo"}'>
       <tr data-opd="DISKOMINFO" data-tahun="2025 2026" data-sumber="APBD DAK">
   gets one labelled <select> per filter above it (options from the rows' space-separated values,
   shown through the optional data-label-<filter> JSON), a reset button, and an aria-live line
   saying how many rows are shown. A tfoot cell with data-jumlah is recomputed from the visible rows' data-value.

   Every header cell with data-sort becomes a sort button (aria-sort on the <th>); cells with
   data-value sort as numbers, others as Indonesian text with natural number order.

   Runs on DOMContentLoaded and, when mkdocs-material's instant navigation is on, on every page
   swap through `document$`. Setting up a table twice is harmless: it is marked once done.

   No word is spelled here: the labels, the reset button, the status line and the sort hint come
   from the language catalogue (templates/teks/<lang>.yaml, situs.kolom and situs.tabel), which the
   theme override writes into every page as JSON:
     <script type="application/json" id="cb-teks">{"kolom": {"opd": "OPD", ...}, "tabel": {...}}</script>
   {n}, {m} and {judul} in a text are filled in here. */

(function () {
  "use strict";

  var TEKS = null;
  var counter = 0;
  var collator = typeof Intl !== "undefined" && Intl.Collator
    ? new Intl.Collator("id", { numeric: true, sensitivity: "base" })
    : null;

  /* obj[key] when obj has it as its own property (never a prototype's), else undefined */
  function own(obj, key) {
    return obj && Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
  }

  /* the page's words (#cb-teks), read once; {} without them */
  function words() {
    if (TEKS === null) {
      var el = document.getElementById("cb-teks");
      try {
        TEKS = el ? JSON.parse(el.textContent) || {} : {};
      } catch (e) {
        TEKS = {};
      }
    }
    return TEKS;
  }

  /* a text of situs.tabel with its {fields} filled in from `values`; the key itself when missing */
  function teks(key, values) {
    var text = own(own(words(), "tabel"), key);
    if (typeof text !== "string") {
      return key;
    }
    return text.replace(/\{(\w+)\}/g, function (field, name) {
      var v = own(values, name);
      return v === undefined ? field : String(v);
    });
  }

  /* the name of a filter key (situs.kolom), else the key with a capital */
  function columnName(key) {
    var name = own(own(words(), "kolom"), key);
    return typeof name === "string" ? name : key.charAt(0).toUpperCase() + key.slice(1);
  }

  function compareText(a, b) {
    return collator ? collator.compare(a, b) : (a < b ? -1 : a > b ? 1 : 0);
  }

  function rowsOf(table) {
    var rows = [];
    for (var i = 0; i < table.tBodies.length; i++) {
      rows = rows.concat(Array.prototype.slice.call(table.tBodies[i].rows));
    }
    return rows;
  }

  function valuesOf(row, key) {
    var raw = row.getAttribute("data-" + key);
    return raw ? raw.trim().split(/\s+/) : [];
  }

  function labelsOf(table, key) {
    var raw = table.getAttribute("data-label-" + key);
    if (!raw) {
      return {};
    }
    try {
      return JSON.parse(raw) || {};
    } catch (e) {
      return {};
    }
  }

  function rupiah(n) {
    return "Rp" + Math.round(n).toLocaleString("id-ID");
  }

  function plainText(el) {
    return (el.textContent || "").replace(/\s+/g, " ").trim();
  }

  /* --- filters ------------------------------------------------------------------------- */

  function setupFilter(table) {
    if (table.getAttribute("data-cb-saring")) {
      return;
    }
    table.setAttribute("data-cb-saring", "1");
    var keys = (table.getAttribute("data-filters") || "").split(",")
      .map(function (k) { return k.trim(); })
      .filter(function (k) { return /^[a-z0-9_-]+$/.test(k); });
    var rows = rowsOf(table);
    if (!keys.length || rows.length < 2) {
      return;
    }
    var id = "cb-saring-" + (++counter);
    var bar = document.createElement("div");
    bar.className = "cb-saring";
    bar.setAttribute("role", "group");
    var caption = table.caption ? plainText(table.caption) : "";
    bar.setAttribute("aria-label", caption ? teks("saring_judul", { judul: caption }) : teks("saring"));

    var selects = [];
    keys.forEach(function (key) {
      var counts = {};
      rows.forEach(function (row) {
        valuesOf(row, key).forEach(function (v) {
          counts[v] = (counts[v] || 0) + 1;
        });
      });
      var values = Object.keys(counts);
      if (values.length < 2) {
        return; /* one value only: nothing to choose */
      }
      var labels = labelsOf(table, key);
      var numeric = values.every(function (v) { return /^-?\d+(\.\d+)?$/.test(v); });
      values.sort(function (a, b) {
        return numeric ? parseFloat(a) - parseFloat(b) : compareText(own(labels, a) || a, own(labels, b) || b);
      });
      var field = document.createElement("div");
      field.className = "cb-saring__kolom";
      var label = document.createElement("label");
      var select = document.createElement("select");
      select.id = id + "-" + key;
      label.htmlFor = select.id;
      label.textContent = table.getAttribute("data-judul-" + key) || columnName(key);
      var all = document.createElement("option");
      all.value = "";
      all.textContent = teks("semua");
      select.appendChild(all);
      values.forEach(function (v) {
        var opt = document.createElement("option");
        opt.value = v;
        opt.textContent = (own(labels, v) || v) + " (" + counts[v] + ")";
        select.appendChild(opt);
      });
      select.setAttribute("data-kunci", key);
      select.addEventListener("change", apply);
      field.appendChild(label);
      field.appendChild(select);
      bar.appendChild(field);
      selects.push(select);
    });
    if (!selects.length) {
      return;
    }

    var reset = document.createElement("button");
    reset.type = "button";
    reset.textContent = teks("tampilkan_semua");
    reset.hidden = true;
    reset.addEventListener("click", function () {
      selects.forEach(function (s) { s.value = ""; });
      apply();
      selects[0].focus();
    });
    bar.appendChild(reset);

    var status = document.createElement("p");
    status.className = "cb-saring__status";
    status.id = id + "-status";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    bar.appendChild(status);

    var anchor = table.parentNode && table.parentNode.classList &&
      table.parentNode.classList.contains("cb-table-wrap") ? table.parentNode : table;
    anchor.parentNode.insertBefore(bar, anchor);

    var sums = Array.prototype.slice.call(table.querySelectorAll("tfoot [data-jumlah]"));

    function apply() {
      var shown = 0;
      var active = selects.filter(function (s) { return s.value !== ""; });
      rows.forEach(function (row) {
        var ok = active.every(function (s) {
          return valuesOf(row, s.getAttribute("data-kunci")).indexOf(s.value) !== -1;
        });
        row.hidden = !ok;
        if (ok) {
          shown++;
        }
      });
      status.textContent = shown === 0
        ? teks("tidak_cocok", { m: rows.length })
        : teks("menampilkan", { n: shown, m: rows.length });
      reset.hidden = active.length === 0;
      sums.forEach(function (cell) {
        var col = cell.cellIndex;
        var offset = 0;
        var r = cell.parentNode;
        for (var i = 0; i < col; i++) {
          offset += r.cells[i].colSpan;
        }
        var total = 0;
        rows.forEach(function (row) {
          if (row.hidden) {
            return;
          }
          var c = cellAt(row, offset);
          var v = c ? parseFloat(c.getAttribute("data-value")) : NaN;
          if (!isNaN(v)) {
            total += v;
          }
        });
        var target = cell.querySelector("strong") || cell;
        target.textContent = rupiah(total);
      });
    }
    apply();
  }

  /* the cell at a visual column index (colspans counted) */
  function cellAt(row, index) {
    var pos = 0;
    for (var i = 0; i < row.cells.length; i++) {
      if (pos === index) {
        return row.cells[i];
      }
      pos += row.cells[i].colSpan;
      if (pos > index) {
        return null;
      }
    }
    return null;
  }

  /* --- sorting ------------------------------------------------------------------------- */

  function setupSort(table) {
    if (table.getAttribute("data-cb-urut")) {
      return;
    }
    var heads = table.tHead ? table.tHead.querySelectorAll("th[data-sort]") : [];
    if (!heads.length) {
      return;
    }
    table.setAttribute("data-cb-urut", "1");
    Array.prototype.forEach.call(heads, function (th) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "cb-urut";
      while (th.firstChild) {
        button.appendChild(th.firstChild);
      }
      var hint = document.createElement("span");
      hint.className = "cb-sr";
      hint.textContent = teks("urutkan");
      button.appendChild(hint);
      th.appendChild(button);
      button.addEventListener("click", function () {
        var next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        Array.prototype.forEach.call(heads, function (other) {
          other.removeAttribute("aria-sort");
        });
        th.setAttribute("aria-sort", next);
        var index = 0;
        var r = th.parentNode;
        for (var i = 0; i < th.cellIndex; i++) {
          index += r.cells[i].colSpan;
        }
        sortBy(table, index, next === "ascending" ? 1 : -1);
      });
    });
  }

  function sortKey(cell) {
    if (!cell) {
      return { empty: true };
    }
    var v = cell.getAttribute("data-value");
    if (v !== null && v !== "" && !isNaN(parseFloat(v))) {
      return { num: parseFloat(v) };
    }
    var text = plainText(cell);
    return text === "" || text === "–" ? { empty: true } : { text: text };
  }

  function sortBy(table, index, dir) {
    for (var t = 0; t < table.tBodies.length; t++) {
      var body = table.tBodies[t];
      var items = Array.prototype.map.call(body.rows, function (row, i) {
        return { row: row, key: sortKey(cellAt(row, index)), i: i };
      });
      items.sort(function (a, b) {
        if (a.key.empty || b.key.empty) {
          /* empty cells last, whatever the direction */
          return a.key.empty && b.key.empty ? a.i - b.i : a.key.empty ? 1 : -1;
        }
        var c;
        if ("num" in a.key && "num" in b.key) {
          c = a.key.num - b.key.num;
        } else {
          c = compareText(a.key.text !== undefined ? a.key.text : String(a.key.num),
                          b.key.text !== undefined ? b.key.text : String(b.key.num));
        }
        return c !== 0 ? c * dir : a.i - b.i;
      });
      items.forEach(function (item) {
        body.appendChild(item.row);
      });
    }
  }

  /* --- start ----------------------------------------------------------------------------- */

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("table.cb-filter"), setupFilter);
    Array.prototype.forEach.call(document.querySelectorAll("table"), function (table) {
      if (table.tHead && table.tHead.querySelector("th[data-sort]")) {
        setupSort(table);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () {
      init();
    });
  }
})();
