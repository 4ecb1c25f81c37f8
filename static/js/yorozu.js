// Small behaviours without inline script (the Content Security Policy allows only our own files).
document.addEventListener("change", function (event) {
  var field = event.target.closest("[data-autosubmit]");
  if (field && field.form) {
    field.form.submit();
  }
});
