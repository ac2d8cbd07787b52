/*
 * The dashboard's glue over htmx and Mustache.js, as an htmx extension ("codedeploy"):
 * - a JSON answer of the API is turned into a view (durations, ages, CSS classes) and rendered through the Mustache
 *   template named by the closest data-template attribute; any other answer (a build log) is left as it is;
 * - a change (any request but GET) carries the session's CSRF token and its form fields as a JSON body;
 * - a refusal shows the API's message; a 401 (the session ended) goes back to the login form;
 * - the event stream's state shows in the header.
 * Everything shown goes through Mustache, which escapes it: no answer is ever inserted as HTML.
 */
(function () {
  'use strict';

  var STAGES = [['QUEUED', 'queued'], ['BUILDING', 'build'], ['REPLICATING', 'replicate'], ['PUBLISHING', 'publish'],
    ['ROLLING_OUT', 'roll out']];
  var HOST_STATES = ['FAILED', 'ROLLED_BACK', 'SWITCHING', 'DOWNLOADING', 'OTHER_BUILD', 'VERIFIED', 'HEALTHY', 'IDLE'];
  var FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'SUPERSEDED'];

  function csrfToken() {
    var meta = document.querySelector('meta[name="codedeploy-csrf"]');
    return meta ? meta.content : '';
  }

  function duration(ms) {
    if (ms === null || ms === undefined) {
      return '';
    }
    if (ms < 1000) {
      return ms + ' ms';
    }
    var s = ms / 1000;
    if (s < 60) {
      return s.toFixed(s < 10 ? 1 : 0) + ' s';
    }
    var m = Math.floor(s / 60);
    if (m < 60) {
      return m + ' min ' + String(Math.floor(s % 60)).padStart(2, '0') + ' s';
    }
    return Math.floor(m / 60) + ' h ' + String(m % 60).padStart(2, '0') + ' min';
  }

  function ago(iso) {
    if (!iso) {
      return '';
    }
    var ms = Date.now() - Date.parse(iso);
    return ms < 0 ? new Date(iso).toLocaleString() : duration(Math.max(0, Math.round(ms / 1000) * 1000)) + ' ago';
  }

  function size(bytes) {
    if (bytes === null || bytes === undefined) {
      return '';
    }
    var units = ['B', 'KB', 'MB', 'GB', 'TB'];
    var i = 0;
    while (bytes >= 1024 && i < units.length - 1) {
      bytes /= 1024;
      i++;
    }
    return (i === 0 ? bytes : bytes.toFixed(1)) + ' ' + units[i];
  }

  function cls(state) {
    return String(state || '').toLowerCase().replace(/_/g, '-');
  }

  function shortSha(sha) {
    return sha ? sha.substring(0, 10) : '';
  }

  function list(data) {
    data.items = data.items || [];
    data.any = data.items.length > 0;
    return data;
  }

  function counts(states) {
    return HOST_STATES.filter(function (s) { return states && states[s]; })
      .map(function (s) { return {state: s, n: states[s], cls: cls(s)}; });
  }

  /** The URL of the same request with another offset (the hosts' pages). */
  function withOffset(url, offset) {
    var u = new URL(url, window.location.href);
    u.searchParams.set('offset', String(offset));
    return u.pathname + u.search;
  }

  var views = {
    'tpl-deploys': function (data, xhr, holder) {
      if (holder.hasAttribute('data-finished-only')) {
        data.items = (data.items || []).filter(function (d) { return FINAL.indexOf(d.state) >= 0; });
      }
      list(data).items.forEach(function (d) {
        d.shortSha = shortSha(d.sha);
        d.stateClass = cls(d.state);
        d.active = FINAL.indexOf(d.state) < 0;
        // a deploy that ended on an error says it in its last message too: show it once
        if (d.error && d.message && d.message.indexOf(d.error) >= 0) {
          d.error = null;
        } else if (d.error && d.message && d.error.indexOf(d.message) >= 0) {
          d.message = '';
        }
        d.created = ago(d.createdAt);
        var total = 0;
        d.stages = STAGES.map(function (stage) {
          var t = (d.timings || []).find(function (x) { return x.stage === stage[0]; });
          if (!t) {
            return {name: stage[0], label: stage[1], cls: 'pending', duration: '', title: stage[1] + ': not reached'};
          }
          total += t.millis;
          var running = !t.endedAt && d.active;
          return {name: stage[0], label: stage[1], cls: running ? 'running' : 'done', duration: duration(t.millis),
            title: stage[1] + (running ? ' since ' : ' from ') + new Date(t.startedAt).toLocaleTimeString()
              + (t.endedAt ? ' to ' + new Date(t.endedAt).toLocaleTimeString() : '')};
        });
        d.total = duration(total);
      });
      return data;
    },
    'tpl-environments': function (data) {
      list(data).hostStates = HOST_STATES;
      return data;
    },
    'tpl-rollout': function (r) {
      if (r.release) {
        r.release.shortSha = shortSha(r.release.sha);
        r.release.published = ago(r.release.publishedAt);
        r.release.openWaveNumber = r.release.openWave + 1;
        r.release.waveCount = r.release.waves.length;
        r.release.plan = r.release.waves.join(', ') + ' %';
      }
      if (r.lock) {
        r.lock.untilText = r.lock.until ? new Date(r.lock.until).toLocaleString() : '';
      }
      (r.regions || []).forEach(function (region) {
        (region.builds || []).forEach(function (b) {
          b.label = b.buildId ? 'build ' + b.buildId : 'no build yet';
          b.counts = counts(b.states);
        });
      });
      return r;
    },
    'tpl-waves': function (data) {
      list(data);
      var present = HOST_STATES.filter(function (s) {
        return data.items.some(function (w) { return w.states[s]; });
      });
      data.columns = present.map(function (s) { return {label: s}; });
      data.items.forEach(function (w) {
        w.cells = present.map(function (s) {
          var byRegion = w.regions.filter(function (r) { return r.states[s]; })
            .map(function (r) { return r.region + ': ' + r.states[s]; });
          return {n: w.states[s] || '', cls: w.states[s] ? cls(s) : '', title: byRegion.join(', ')};
        });
      });
      return data;
    },
    'tpl-hosts': function (page, xhr) {
      var items = page.items || [];
      page.any = items.length > 0;
      page.from = page.offset + 1;
      page.to = page.offset + items.length;
      items.forEach(function (h) {
        h.shownState = h.onRelease ? h.state : 'OTHER_BUILD (' + h.state + ')';
        h.cls = cls(h.onRelease ? h.state : 'OTHER_BUILD');
        h.moving = h.targetBuildId && h.targetBuildId !== h.currentBuildId;
        h.reported = ago(h.updatedAt);
      });
      if (page.to < page.total) {
        page.next = withOffset(xhr.responseURL, page.to);
      }
      if (page.offset > 0) {
        var limit = Number(new URL(xhr.responseURL).searchParams.get('limit')) || items.length;
        page.previous = withOffset(xhr.responseURL, Math.max(0, page.offset - limit));
      }
      return page;
    },
    'tpl-jobs': function (data) {
      list(data).items.forEach(function (j) {
        j.shortSha = shortSha(j.sha);
        j.statusClass = cls(j.status);
        j.queued = ago(j.createdAt);
        j.took = j.startedAt ? duration((j.finishedAt ? Date.parse(j.finishedAt) : Date.now()) - Date.parse(j.startedAt)) : '';
        j.cancellable = j.status === 'QUEUED' || j.status === 'RUNNING';
      });
      return data;
    },
    'tpl-builds': function (data) {
      list(data).items.forEach(function (b) {
        b.shortSha = shortSha(b.sha);
        b.size = size(b.artifactSize);
        b.stored = ago(b.finishedAt);
        b.replicas.forEach(function (r) {
          r.cls = cls(r.status);
          r.detail = r.attempts + ' attempt(s), ' + size(r.bytesCopied) + ' copied' + (r.error ? ': ' + r.error : '');
        });
      });
      return data;
    }
  };

  function flash(message, kind) {
    var box = document.getElementById('flash');
    if (!box) {
      return;
    }
    box.textContent = message;
    box.className = kind || '';
  }

  function isJson(xhr) {
    return xhr && (xhr.getResponseHeader('Content-Type') || '').indexOf('application/json') === 0;
  }

  htmx.defineExtension('codedeploy', {
    onEvent: function (name, evt) {
      if (name === 'htmx:configRequest' && evt.detail.verb !== 'get') {
        evt.detail.headers['X-CSRF-Token'] = csrfToken();
        evt.detail.headers['Content-Type'] = 'application/json';
      }
      return true;
    },
    encodeParameters: function (xhr, parameters) {
      var body = {};
      parameters.forEach(function (value, key) {
        if (value !== '') {
          body[key] = value;
        }
      });
      return JSON.stringify(body);
    },
    transformResponse: function (text, xhr, elt) {
      var holder = htmx.closest(elt, '[data-template]');
      if (!holder || !isJson(xhr) || xhr.status >= 300) {
        return text;
      }
      var name = holder.getAttribute('data-template');
      var template = document.getElementById(name);
      var data = JSON.parse(text);
      return Mustache.render(template.textContent, views[name] ? views[name](data, xhr, holder) : data);
    }
  });

  document.addEventListener('htmx:responseError', function (evt) {
    var xhr = evt.detail.xhr;
    if (xhr.status === 401) {
      window.location.assign('/dashboard/login');
      return;
    }
    var message = xhr.status + ' ' + xhr.statusText;
    if (isJson(xhr)) {
      try {
        message = JSON.parse(xhr.responseText).message || message;
      } catch (ignored) {
        // keep the status line
      }
    }
    flash(message, 'error');
  });

  document.addEventListener('htmx:sendError', function () {
    flash('The server does not answer; the page keeps trying.', 'error');
  });

  document.addEventListener('htmx:afterRequest', function (evt) {
    var verb = evt.detail.requestConfig && evt.detail.requestConfig.verb;
    if (evt.detail.successful && verb && verb !== 'get') {
      var button = evt.detail.elt.matches('form') ? evt.detail.elt.querySelector('button') : evt.detail.elt;
      flash((button ? button.textContent.trim() : verb) + ': done.', 'ok');
      if (evt.detail.elt.matches('form')) {
        evt.detail.elt.reset();
      }
      htmx.trigger(document.body, 'refresh');
    }
  });

  document.addEventListener('htmx:afterSwap', function (evt) {
    if (evt.detail.target.id === 'job-log' && evt.detail.requestConfig) {
      document.getElementById('job-log-caption').textContent = evt.detail.requestConfig.elt.getAttribute('data-caption');
    }
  });

  function live(state, text) {
    var badge = document.getElementById('live');
    if (badge) {
      badge.setAttribute('data-state', state);
      badge.textContent = text;
    }
  }

  document.addEventListener('htmx:sseOpen', function () {
    live('open', 'live');
  });
  document.addEventListener('htmx:sseError', function () {
    live('closed', 'reconnecting…');
  });
})();
