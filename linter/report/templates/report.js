/* copydesk report: filters and drill-down over the articles in detail.  The page reads in
   full without this script; it only hides what the chosen filters leave out. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  if (!form) { return; }
  var names = ["rule", "severity", "desk", "author", "month"];
  var articles = Array.prototype.slice.call(document.querySelectorAll("section.article"));
  var index = {};
  Array.prototype.forEach.call(document.querySelectorAll("#article-index tr[data-article]"), function (row) {
    index[row.getAttribute("data-article")] = row;
  });
  var status = document.getElementById("filter-status");
  var none = document.getElementById("no-match");

  function chosen() {
    var f = {};
    names.forEach(function (n) { f[n] = form.elements[n].value; });
    return f;
  }

  function apply() {
    var f = chosen(), shown = 0, findings = 0;
    articles.forEach(function (a) {
      var ok = (!f.desk || a.getAttribute("data-desk") === f.desk) &&
               (!f.author || a.getAttribute("data-author") === f.author) &&
               (!f.month || a.getAttribute("data-month") === f.month);
      var n = 0, rules = {};
      Array.prototype.forEach.call(a.querySelectorAll("tr.finding"), function (row) {
        var rule = row.getAttribute("data-rule");
        var match = ok && (!f.rule || rule === f.rule) &&
                    (!f.severity || row.getAttribute("data-severity") === f.severity);
        if (row.hidden === match) { row.hidden = !match; }  /* touch only what changes */
        if (match) { n += 1; rules[rule] = true; }
      });
      Array.prototype.forEach.call(a.querySelectorAll("dl.policies [data-rule]"), function (item) {
        var off = !rules[item.getAttribute("data-rule")];  /* the policies of the findings in view */
        if (item.hidden !== off) { item.hidden = off; }
      });
      if (a.hidden !== (n === 0)) { a.hidden = n === 0; }
      if (index[a.id] && index[a.id].hidden !== a.hidden) { index[a.id].hidden = a.hidden; }
      if (n) { shown += 1; findings += n; }
    });
    var active = names.filter(function (n) { return f[n]; });
    status.textContent = active.length
      ? shown + " of " + articles.length + " articles in detail, " + findings + " findings match"
      : articles.length + " articles in detail";
    none.hidden = shown !== 0;
  }

  function choose(name, value) {
    names.forEach(function (n) { form.elements[n].value = ""; });
    var select = form.elements[name];
    select.value = value;
    if (select.value !== value) {  /* not among the options: say so rather than show all */
      var option = document.createElement("option");
      option.value = value;
      option.textContent = value;
      select.appendChild(option);
      select.value = value;
    }
    apply();
  }

  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  document.addEventListener("click", function (event) {
    var target = event.target.closest ? event.target.closest("[data-filter]") : null;
    if (!target || names.indexOf(target.getAttribute("data-filter")) < 0) { return; }
    event.preventDefault();
    choose(target.getAttribute("data-filter"), target.getAttribute("data-value"));
    document.getElementById("articles").scrollIntoView();
  });
  apply();
}());
