// Dashboard behaviour: theme toggle, the viewer's time zone, CSRF for htmx, live post status, select-all.
(function () {
  'use strict';

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el && el.getAttribute('content');
  }

  // htmx sends the CSRF token as a header on every request that changes something
  document.addEventListener('htmx:configRequest', function (e) {
    var header = meta('_csrf_header'), token = meta('_csrf');
    if (header && token && e.detail.verb !== 'get') {
      e.detail.headers[header] = token;
    }
  });

  function effectiveTheme() {
    var set = document.documentElement.getAttribute('data-theme');
    if (set) return set;
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  }

  function showTheme(button) {
    var dark = effectiveTheme() === 'dark';
    button.setAttribute('aria-pressed', dark ? 'true' : 'false');
    button.textContent = dark ? 'Light theme' : 'Dark theme';
  }

  var toggle = document.getElementById('theme-toggle');
  if (toggle) {
    showTheme(toggle);
    toggle.addEventListener('click', function () {
      var next = effectiveTheme() === 'dark' ? 'light' : 'dark';
      document.documentElement.setAttribute('data-theme', next);
      try { localStorage.setItem('crosspost-theme', next); } catch (e) { /* not remembered then */ }
      showTheme(toggle);
    });
  }

  // the server shows times in the zone of the tz cookie; set it from the browser once, and reload if it differs
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var cookie = document.cookie.split('; ').filter(function (c) { return c.indexOf('tz=') === 0; })[0];
  var current = cookie ? decodeURIComponent(cookie.substring(3)) : null;
  if (zone && current !== zone && !new URLSearchParams(location.search).has('tz')) {
    // zone ids (Europe/Berlin) are valid cookie values as they are; encoding them would hide the slash from the server
    document.cookie = 'tz=' + zone + '; path=/; max-age=31536000; SameSite=Lax';
    if (document.body.getAttribute('data-zone') !== zone && !sessionStorage.getItem('crosspost-tz-reloaded')) {
      sessionStorage.setItem('crosspost-tz-reloaded', '1');
      location.reload();
      return;
    }
  }

  // post page: every publication event re-renders the platforms part; the stream ends when the post settles
  var live = document.getElementById('live');
  if (live && window.EventSource) {
    var fragment = live.getAttribute('data-fragment');
    var busy = false, again = false;
    // one refresh at a time, and one more after it when events came meanwhile, so the last change always shows
    var refresh = function () {
      if (busy) { again = true; return; }
      busy = true;
      fetch(fragment, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
        .then(function (html) {
          var section = document.getElementById('publications');
          if (section) section.outerHTML = html;
        })
        .catch(function () { live.textContent = 'Could not refresh; reload the page to see the latest.'; })
        .finally(function () {
          busy = false;
          if (again) { again = false; refresh(); }
        });
    };
    var source = new EventSource(live.getAttribute('data-events'));
    live.textContent = 'Connecting to live updates…';
    source.onopen = function () { live.textContent = 'Live: changes appear as they happen.'; };
    source.onerror = function () {
      if (source.readyState !== EventSource.CLOSED) live.textContent = 'Live updates interrupted; reconnecting…';
    };
    source.addEventListener('publication', refresh);
    // render progress (media's RenderProgressed: assetId, operation, percent) fills the bar of the medium it is
    // about; without such events the cards show what is stored, and the page shows each platform's state
    source.addEventListener('render', function (e) {
      var progress;
      try { progress = JSON.parse(e.data); } catch (err) { return; }
      var pct = Math.max(0, Math.min(100, Number(progress.percent) || 0));
      document.querySelectorAll('.medium[data-asset], .medium[data-thumbs]').forEach(function (card) {
        if (card.getAttribute('data-asset') !== progress.assetId && card.getAttribute('data-thumbs') !== progress.assetId) return;
        var label = card.querySelector('[data-render]');
        label.hidden = pct >= 100;
        label.querySelector('progress').value = pct;
        label.querySelector('[data-render-label]').textContent = (progress.operation || 'Rendering') + ': ' + pct + ' %';
      });
    });
    source.addEventListener('settled', function () {
      source.close();
      refresh();
      live.textContent = 'Settled: every platform has its outcome.';
    });
    window.addEventListener('pagehide', function () { source.close(); });
  }

  // post page: a video's thumbnail comes from the original's thumbnails, read through the workspace-checked assets API
  document.querySelectorAll('.medium[data-thumbs]').forEach(function (card) {
    var img = card.querySelector('[data-thumb]');
    fetch('/api/v1/assets?limit=50&source=' + encodeURIComponent(card.getAttribute('data-thumbs')),
          { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (list) {
        var thumbs = list.data.filter(function (a) { return a.role === 'thumbnail' || a.role === 'poster'; });
        // the medium thumbnail suits a card; else whichever there is
        var pick = thumbs.filter(function (a) { return a.spec && a.spec.indexOf('medium') >= 0; })[0] || thumbs[0];
        if (pick) {
          img.src = '/api/v1/assets/' + pick.id + '/content';
          img.hidden = false;
        }
      })
      .catch(function () { /* no thumbnail then; the card still names the medium */ });
  });

  // calendar: dropping a post on another day fills its Reschedule form with that day at the same time and sends
  // it, so the server checks it exactly as when typed; the form stays the way for keyboards and touch screens
  document.querySelectorAll('.slot[draggable="true"]').forEach(function (slot) {
    slot.addEventListener('dragstart', function (e) {
      e.dataTransfer.setData('text/plain', slot.getAttribute('data-post'));
      e.dataTransfer.effectAllowed = 'move';
    });
  });
  document.querySelectorAll('.calendar .day[data-date]').forEach(function (day) {
    day.addEventListener('dragover', function (e) {
      e.preventDefault();
      day.classList.add('drop');
    });
    day.addEventListener('dragleave', function () { day.classList.remove('drop'); });
    day.addEventListener('drop', function (e) {
      e.preventDefault();
      day.classList.remove('drop');
      var slot = document.querySelector('.slot[data-post="' + CSS.escape(e.dataTransfer.getData('text/plain')) + '"]');
      var input = slot && slot.querySelector('input[name="publishAt"]');
      if (!input) return;
      var moved = day.getAttribute('data-date') + 'T' + input.value.substring(11);
      if (moved !== input.value) {
        input.value = moved;
        input.form.requestSubmit();
      }
    });
  });

  // dead letters: one checkbox selects every row
  document.querySelectorAll('[data-select-all]').forEach(function (all) {
    all.addEventListener('change', function () {
      document.querySelectorAll('input[name="' + all.getAttribute('data-select-all') + '"]').forEach(function (box) {
        box.checked = all.checked;
      });
    });
  });
})();
