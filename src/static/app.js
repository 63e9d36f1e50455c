// Small enhancements only: every page works without this file.
(function () {
  'use strict';
  // Put keyboard focus on the first field with an error message, or on the alert itself.
  var alert = document.querySelector('[role="alert"]');
  if (alert) {
    alert.setAttribute('tabindex', '-1');
    alert.focus();
  }
})();
