// Applies a theme chosen with the toggle before the page paints; without one, prefers-color-scheme decides.
(function () {
  try {
    var theme = localStorage.getItem('crosspost-theme');
    if (theme === 'dark' || theme === 'light') {
      document.documentElement.setAttribute('data-theme', theme);
    }
  } catch (e) { /* storage blocked: follow the system theme */ }
})();
