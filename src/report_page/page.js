// Filters: show only the items (timeline marks, table rows, quotes, uncited
// figures) of one outlet, key or finding. Without script the form stays
// hidden and everything is shown. "#filter:o=o1&k=k3&f=any" presets them.
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  form.hidden = false;
  var names = ["o", "k", "f"];
  function apply() {
    var want = {};
    names.forEach(function (n) { want[n] = form.elements[n].value; });
    var any = want.o || want.k || want.f;
    document.querySelectorAll("[data-o]").forEach(function (e) {
      var found = e.getAttribute("data-f") || "";
      var show = (!want.o || e.getAttribute("data-o") === want.o) &&
        (!want.k || e.getAttribute("data-k") === want.k) &&
        (!want.f || (want.f === "any" ? found !== "" : want.f === "none" ? found === "" :
          (" " + found + " ").indexOf(" " + want.f + " ") >= 0));
      e.classList.toggle("off", !show);
    });
    document.querySelectorAll(".grp").forEach(function (g) {
      g.classList.toggle("off", !!any && !g.querySelector("[data-o]:not(.off)"));
    });
    var params = names.filter(function (n) { return want[n]; })
      .map(function (n) { return n + "=" + encodeURIComponent(want[n]); }).join("&");
    if (params || location.hash.indexOf("#filter:") === 0) {
      history.replaceState(null, "", params ? "#filter:" + params : location.pathname);
    }
  }
  function fromHash() {
    if (location.hash.indexOf("#filter:") !== 0) return;
    location.hash.slice(8).split("&").forEach(function (pair) {
      var kv = pair.split("="), control = form.elements[kv[0]];
      if (control && names.indexOf(kv[0]) >= 0) control.value = decodeURIComponent(kv[1] || "");
    });
    apply();
  }
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
