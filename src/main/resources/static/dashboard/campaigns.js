// Campaigns and credits pages: read intake's and generation's REST APIs with the session cookie (CSRF header on
// writes), upload CSVs with a progress bar, and render reports, rows and the ledger as DOM (never as HTML strings).
(function () {
  'use strict';

  function meta(name) {
    var m = document.querySelector('meta[name="' + name + '"]');
    return m && m.getAttribute('content');
  }

  function writeHeaders(headers) {
    var header = meta('_csrf_header'), token = meta('_csrf');
    if (header && token) headers[header] = token;
    return headers;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== null && attrs[k] !== undefined) node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) {
      node.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
    return node;
  }

  // the API's problem+json in people's words: the title's detail plus each field error
  function problemText(status, body) {
    if (body && body.errors && body.errors.length) {
      return body.errors.map(function (e) { return e.field + ': ' + e.message; }).join('; ');
    }
    return (body && (body.detail || body.title)) || ('The request failed (HTTP ' + status + ').');
  }

  function api(method, url, body) {
    var headers = {'Accept': 'application/json'};
    if (method !== 'GET') writeHeaders(headers);
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(url, {method: method, headers: headers, credentials: 'same-origin',
                       body: body === undefined ? undefined : JSON.stringify(body)})
      .then(function (r) {
        return r.text().then(function (t) {
          var parsed = null;
          try { parsed = t ? JSON.parse(t) : null; } catch (e) { parsed = null; }
          if (!r.ok) throw new Error(problemText(r.status, parsed));
          return parsed;
        });
      });
  }

  function showError(target, message) {
    if (!target) return;
    target.textContent = message;
    target.hidden = !message;
  }

  function time(iso) {
    if (!iso) return '';
    var zone = document.body.getAttribute('data-zone') || undefined;
    try {
      return new Date(iso).toLocaleString(undefined, {timeZone: zone, dateStyle: 'medium', timeStyle: 'short'});
    } catch (e) {
      return iso;
    }
  }

  function countsText(rows) {
    var parts = Object.keys(rows || {}).filter(function (k) { return rows[k] > 0; })
      .map(function (k) { return rows[k] + ' ' + k; });
    return parts.length ? parts.join(', ') : 'no rows yet';
  }

  // XHR rather than fetch: only XHR reports upload progress
  function upload(campaignId, file, bar, percent) {
    return new Promise(function (resolve, reject) {
      var xhr = new XMLHttpRequest();
      xhr.open('POST', '/api/v1/campaigns/' + encodeURIComponent(campaignId) + '/imports');
      var headers = writeHeaders({'Accept': 'application/json'});
      Object.keys(headers).forEach(function (h) { xhr.setRequestHeader(h, headers[h]); });
      xhr.upload.onprogress = function (e) {
        if (e.lengthComputable) {
          var p = Math.round(100 * e.loaded / e.total);
          bar.value = p;
          percent.textContent = p + ' %';
        }
      };
      xhr.onload = function () {
        var body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status >= 200 && xhr.status < 300) {
          bar.value = 100;
          percent.textContent = 'Uploaded, checked.';
          resolve(body);
        } else {
          reject(new Error(problemText(xhr.status, body)));
        }
      };
      xhr.onerror = function () { reject(new Error('The upload did not reach the server.')); };
      var form = new FormData();
      form.append('file', file);
      xhr.send(form);
    });
  }

  function bindUpload(form, campaignIdFor, done) {
    var bar = form.querySelector('progress'), percent = form.querySelector('[data-percent]');
    var error = form.querySelector('[data-error]') || document.querySelector('main [data-error]');
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var file = form.querySelector('input[type=file]').files[0];
      if (!file) return;
      var button = form.querySelector('button[type=submit]');
      button.disabled = true;
      showError(error, '');
      form.querySelector('.upload-progress').hidden = false;
      bar.value = 0;
      percent.textContent = '0 %';
      campaignIdFor().then(function (id) {
        return upload(id, file, bar, percent).then(function (report) { done(id, report); });
      }).catch(function (err) {
        showError(error, err.message);
        percent.textContent = 'Failed.';
      }).finally(function () { button.disabled = false; });
    });
  }

  function renderReport(target, report) {
    target.textContent = '';
    target.appendChild(el('p', {'data-report-summary': ''}, [
      report.rowsTotal + ' rows read: ' + report.rowsAccepted + ' imported, ' + report.rowsRejected + ' rejected, '
      + report.warnings + ' warnings.']));
    if (!report.problems.length) {
      target.appendChild(el('p', {}, ['No problems: every row was imported.']));
      return;
    }
    var body = el('tbody', {}, report.problems.map(function (p) {
      return el('tr', {'class': 'sev-' + p.severity}, [
        el('td', {}, [String(p.row)]), el('td', {}, [p.field]),
        el('td', {}, [el('span', {'class': 'badge sev-' + p.severity}, [p.severity])]), el('td', {'class': 'wrap'}, [p.reason])]);
    }));
    target.appendChild(el('div', {'class': 'table-wrap'}, [el('table', {'class': 'list report'}, [
      el('caption', {}, ['Problems by row (the header is row 1, as a spreadsheet counts)']),
      el('thead', {}, [el('tr', {}, ['Row', 'Field', 'Severity', 'Reason'].map(function (h) { return el('th', {scope: 'col'}, [h]); }))]),
      body])]));
    if (report.nextCursor) {
      target.appendChild(el('p', {'class': 'muted'}, ['More problems follow; the full report is at ',
        el('a', {href: '/api/v1/campaigns/' + report.campaignId + '/imports/' + report.id + '?limit=1000'}, ['the API']), '.']));
    }
  }

  // --- campaign list ---
  var list = document.querySelector('[data-campaigns]');
  if (list) {
    var more = document.querySelector('[data-more]');
    var cursor = null, first = true;
    var loadCampaigns = function () {
      list.setAttribute('aria-busy', 'true');
      api('GET', '/api/v1/campaigns?limit=20' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : '')).then(function (page) {
        if (first) list.textContent = '';
        if (first && !page.data.length) {
          list.appendChild(el('div', {'class': 'empty'}, [el('p', {}, [el('strong', {}, ['No campaigns yet.']),
            ' Give one a name and upload a CSV above (the columns of products.csv); you see its validation report, then start it.'])]));
        } else {
          var table = list.querySelector('tbody');
          if (!table) {
            table = el('tbody', {});
            list.appendChild(el('div', {'class': 'table-wrap'}, [el('table', {'class': 'list'}, [
              el('caption', {'class': 'sr-only'}, ['Campaigns, newest first']),
              el('thead', {}, [el('tr', {}, ['Campaign', 'Status', 'Rows', 'Created'].map(function (h) { return el('th', {scope: 'col'}, [h]); }))]),
              table])]));
          }
          page.data.forEach(function (c) {
            table.appendChild(el('tr', {}, [
              el('td', {'class': 'wrap'}, [el('a', {href: '/app/campaigns/' + c.id}, [c.name])]),
              el('td', {}, [el('span', {'class': 'badge c-' + c.status}, [c.status])]),
              el('td', {}, [countsText(c.rows)]),
              el('td', {}, [el('time', {datetime: c.createdAt}, [time(c.createdAt)])])]));
          });
        }
        first = false;
        cursor = page.nextCursor;
        more.hidden = !cursor;
      }).catch(function (err) {
        list.textContent = '';
        list.appendChild(el('p', {'class': 'flash alert', role: 'alert'}, ['Could not load campaigns: ' + err.message]));
      }).finally(function () { list.setAttribute('aria-busy', 'false'); });
    };
    more.addEventListener('click', loadCampaigns);
    loadCampaigns();
    var create = document.getElementById('campaign-upload');
    bindUpload(create, function () {
      return api('POST', '/api/v1/campaigns', {name: create.querySelector('[name=name]').value.trim()})
        .then(function (c) { return c.id; });
    }, function (id, report) {
      location.href = '/app/campaigns/' + id + '?import=' + report.id;
    });
  }

  // --- one campaign ---
  var main = document.querySelector('main[data-campaign]');
  if (main) {
    var id = main.getAttribute('data-campaign');
    var base = '/api/v1/campaigns/' + id;
    var error = main.querySelector('[data-error]');
    var start = main.querySelector('[data-start]');
    var rowsTarget = main.querySelector('[data-rows]');
    var moreRows = main.querySelector('[data-more]');
    var statusFilter = main.querySelector('[data-status]');
    var rowCursor = null;

    var showCampaign = function () {
      return api('GET', base).then(function (c) {
        main.querySelector('[data-name]').textContent = c.name;
        document.title = c.name + ' · Crosspost';
        var summary = main.querySelector('[data-summary]');
        summary.textContent = '';
        summary.appendChild(el('p', {}, [el('span', {'class': 'badge c-' + c.status, 'data-campaign-status': c.status}, [c.status]),
          ' ' + countsText(c.rows) + (c.startedAt ? ' · started ' + time(c.startedAt) : '')]));
        start.hidden = c.status !== 'draft';
        return c;
      });
    };

    var rowLine = function (r) {
      var outcome = r.results.length
        ? el('ul', {'class': 'chips'}, r.results.map(function (p) {
            var label = p.platform + ': ' + p.state;
            // only web links: a platform's URL is not ours to trust with another scheme
            return el('li', {}, [p.url && /^https?:\/\//i.test(p.url) ? el('a', {href: p.url, rel: 'noopener noreferrer', target: '_blank', 'class': 'badge s-' + p.state}, [label])
              : el('span', {'class': 'badge s-' + p.state, title: p.error || ''}, [label])]);
          }))
        : el('span', {'class': 'muted'}, [r.platforms.join(', ')]);
      return el('tr', {'data-row-status': r.status}, [
        el('td', {}, [r.sourceRow === null ? '' : String(r.sourceRow)]),
        el('td', {'class': 'wrap'}, [r.externalId + ' · ' + r.title]),
        el('td', {}, [el('span', {'class': 'badge r-' + r.status}, [r.status])].concat(r.error ? [el('span', {'class': 'muted wrap'}, [' ' + r.error])] : [])),
        el('td', {}, [outcome]),
        el('td', {}, [r.postId ? el('a', {href: '/app/posts/' + r.postId}, ['Post']) : el('span', {'class': 'muted'}, ['not yet'])])]);
    };

    var loadRows = function (reset) {
      if (reset) { rowCursor = null; }
      var status = statusFilter.value;
      return api('GET', base + '/rows?limit=100' + (status ? '&status=' + status : '') + (rowCursor ? '&cursor=' + encodeURIComponent(rowCursor) : ''))
        .then(function (page) {
          var body = rowsTarget.querySelector('tbody');
          if (reset || !body) {
            rowsTarget.textContent = '';
            if (!page.data.length) {
              rowsTarget.appendChild(el('div', {'class': 'empty'}, [el('p', {}, [status ? 'No rows with this status.'
                : 'No rows yet: upload a CSV below, then start the campaign.'])]));
              moreRows.hidden = true;
              return;
            }
            body = el('tbody', {});
            rowsTarget.appendChild(el('div', {'class': 'table-wrap'}, [el('table', {'class': 'list'}, [
              el('caption', {'class': 'sr-only'}, ['Rows in import order']),
              el('thead', {}, [el('tr', {}, ['Row', 'Content', 'Status', 'Platforms', 'Post'].map(function (h) { return el('th', {scope: 'col'}, [h]); }))]),
              body])]));
          }
          page.data.forEach(function (r) { body.appendChild(rowLine(r)); });
          rowCursor = page.nextCursor;
          moreRows.hidden = !rowCursor;
        });
    };

    var refresh = function () {
      return showCampaign().then(function (c) { return loadRows(true).then(function () { return c; }); })
        .catch(function (err) { showError(error, err.message); });
    };

    start.addEventListener('click', function () {
      start.disabled = true;
      api('POST', base + '/start').then(poll).catch(function (err) { showError(error, err.message); })
        .finally(function () { start.disabled = false; });
    });
    moreRows.addEventListener('click', function () { loadRows(false).catch(function (err) { showError(error, err.message); }); });
    statusFilter.addEventListener('change', function () { loadRows(true).catch(function (err) { showError(error, err.message); }); });

    var reportSection = main.querySelector('[data-report-section]');
    var showReport = function (report) {
      reportSection.hidden = false;
      renderReport(main.querySelector('[data-report]'), report);
    };
    var importId = new URLSearchParams(location.search).get('import');
    if (importId && /^[0-9a-f-]{36}$/i.test(importId)) {
      api('GET', base + '/imports/' + importId + '?limit=1000').then(showReport).catch(function (err) { showError(error, err.message); });
    }
    bindUpload(document.getElementById('campaign-upload'), function () { return Promise.resolve(id); },
      function (ignored, report) { showReport(report); refresh(); });

    // rows move on by themselves once started: refresh the first page until nothing is in progress any more
    // (one polling chain at a time, restarted by Start)
    var polling = false;
    function poll() {
      if (polling) return Promise.resolve();
      polling = true;
      return refresh().then(function (c) {
        polling = false;
        var busy = c && c.status === 'running' && ['pending', 'preparing', 'publishing'].some(function (s) { return (c.rows[s] || 0) > 0; });
        if (busy && !rowCursor) setTimeout(poll, 3000);
      });
    }
    poll();
  }

  // --- credits ---
  var credits = document.querySelector('main[data-credits]');
  if (credits) {
    var cError = credits.querySelector('[data-error]');
    var ledger = credits.querySelector('[data-ledger]');
    var moreLedger = credits.querySelector('[data-more]');
    var ledgerCursor = null;
    api('GET', '/api/v1/credits').then(function (b) {
      credits.querySelector('[data-balance]').textContent = String(b.balance);
      var costs = credits.querySelector('[data-costs]');
      [['captions', 'Captions for one row'], ['avatarVideo', 'An avatar video (HeyGen)'], ['offlineVideo', 'An offline product video']]
        .forEach(function (c) {
          costs.appendChild(el('dt', {}, [c[1]]));
          costs.appendChild(el('dd', {}, [String(b.costs[c[0]]) + ' credits']));
        });
    }).catch(function (err) { showError(cError, err.message); });
    var loadLedger = function () {
      api('GET', '/api/v1/credits/ledger?limit=50' + (ledgerCursor ? '&cursor=' + encodeURIComponent(ledgerCursor) : '')).then(function (page) {
        var body = ledger.querySelector('tbody');
        if (!body) {
          if (!page.data.length) {
            ledger.appendChild(el('div', {'class': 'empty'}, [el('p', {}, [
              'No movements yet. Credits are reserved when a started campaign has captions or videos made, and added by a payment top-up.'])]));
            return;
          }
          body = el('tbody', {});
          ledger.appendChild(el('div', {'class': 'table-wrap'}, [el('table', {'class': 'list'}, [
            el('caption', {'class': 'sr-only'}, ['Credit movements, newest first']),
            el('thead', {}, [el('tr', {}, ['When', 'Kind', 'Amount', 'Reason'].map(function (h) { return el('th', {scope: 'col'}, [h]); }))]),
            body])]));
        }
        page.data.forEach(function (m) {
          body.appendChild(el('tr', {}, [el('td', {}, [el('time', {datetime: m.at}, [time(m.at)])]), el('td', {}, [m.kind]),
            el('td', {'class': 'num'}, [(m.amount > 0 ? '+' : '') + m.amount]), el('td', {'class': 'wrap'}, [m.reason])]));
        });
        ledgerCursor = page.nextCursor;
        moreLedger.hidden = !ledgerCursor;
      }).catch(function (err) { showError(cError, err.message); });
    };
    moreLedger.addEventListener('click', loadLedger);
    loadLedger();
  }
})();
