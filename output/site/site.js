/* The works page: search, filters and sort over window.SITE_DATA (works.js), with the state
   in the URL query so that a result can be shared and bookmarked.

   Everything in the data comes from the lists and is untrusted: it reaches the page only as
   textContent or an attribute value, never as markup, and only http(s) URLs become links.
   Works are rendered CHUNK at a time (more on scroll or on "Show more"), and the first rows
   are drawn before anything else is prepared, so 20,000 works open and filter as fast as
   200. The BibTeX and CSL-JSON the copy buttons copy are in cite/NNN.js, loaded when a
   reader nears a work's buttons. */
(function () {
  'use strict';
  performance.mark('site-start');  // the data is parsed by now

  var CHUNK = 50;
  var SORTS = ['year', 'stars', 'citations', 'added', 'title'];
  var FILTERS = ['venue', 'section', 'topic', 'list', 'kind'];
  var AUTHORS_SHOWN = 8;
  var SEP = ' \u203a ';  // between a list and its sections in data.places
  var GITHUB_REPO = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
  var data = window.SITE_DATA || {};
  var works = Array.isArray(data.works) ? data.works : [];
  var places = Array.isArray(data.places) ? data.places.map(String) : [];
  var placeList = places.map(function (p) { return p.split(SEP)[0]; });
  var byId = function (id) { return document.getElementById(id); };
  var ui = {
    form: byId('filters'), q: byId('q'), from: byId('year-from'), to: byId('year-to'),
    venue: byId('venue'), section: byId('section'), topic: byId('topic'), list: byId('list'),
    kind: byId('kind'), sort: byId('sort'), code: byId('code'), verified: byId('verified'),
    fresh: byId('new'), count: byId('count'), results: byId('results'), more: byId('more'),
    copied: byId('copied')
  };
  var number = new Intl.NumberFormat('en-US');
  var hay = null;     // per work: the folded text searched (built just after the first render)
  var orders = {};    // sort name -> work indices in that order (built when first asked)
  var state = null;
  var matched = [];   // indices of the works that pass the filters, in the sort order
  var shown = 0;
  var urlTimer = 0;
  var cited = {};     // shard number -> {key: [BibTeX, CSL-JSON]} once its script ran
  var loading = {};   // shard number -> Promise of it

  // ---- small helpers ---------------------------------------------------------------------

  function fold(text) {  // lower case without accents: "muller" finds "Müller"
    text = String(text);
    if (/[^\x00-\x7f]/.test(text)) text = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
    return text.toLowerCase();
  }

  function safeUrl(url) {
    return typeof url === 'string' && /^https?:\/\/[^\s\/?#]+/i.test(url) ? url : '';
  }

  function make(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function link(url, text, className) {
    var href = safeUrl(url);
    if (!href) return make('span', className, text);
    var a = make('a', className, text);
    a.href = href;
    a.rel = 'noopener noreferrer nofollow';
    return a;
  }

  function signed(n) { return (n > 0 ? '+' : '\u2212') + number.format(Math.abs(n)); }

  function list(value) { return Array.isArray(value) ? value : []; }

  function codeOf(w) {  // a repository's URL is left out of the data when it is github.com/NAME
    return list(w.code).map(function (c) {
      var url = c.url || (GITHUB_REPO.test(c.repo || '') ? 'https://github.com/' + c.repo : '');
      return { url: url, repo: c.repo, stars: c.stars, delta: c.delta, status: c.status, archived: c.archived, silent: c.silent };
    });
  }

  function stars(w) {
    var most = -1;
    list(w.code).forEach(function (c) { if (typeof c.stars === 'number' && c.stars > most) most = c.stars; });
    return most;
  }

  // ---- search index and orders -------------------------------------------------------------

  function buildHay() {
    if (hay) return;
    hay = works.map(function (w) {
      return fold([w.title, w.nickname || '', list(w.authors).join(' '), w.venue || ''].join(' \u0001 '));
    });
  }

  function order(name) {
    if (orders[name]) return orders[name];
    var index = works.map(function (_, i) { return i; });
    var numeric = function (value) {  // most first, unknown last, else the data's order
      var values = works.map(value);
      return function (a, b) { return values[b] - values[a] || a - b; };
    };
    if (name === 'stars') index.sort(numeric(stars));
    if (name === 'citations') {
      index.sort(numeric(function (w) { return typeof w.citations === 'number' ? w.citations : -1; }));
    }
    if (name === 'added') {
      index.sort(function (a, b) {
        var x = works[a].added || '', y = works[b].added || '';
        return x < y ? 1 : x > y ? -1 : a - b;
      });
    }
    if (name === 'title') {
      var collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });
      index.sort(function (a, b) { return collator.compare(works[a].title, works[b].title) || a - b; });
    }
    orders[name] = index;  // 'year': the data comes newest first
    return index;
  }

  // ---- state <-> URL <-> controls ----------------------------------------------------------

  function readState(search) {
    var p = new URLSearchParams(search);
    var s = {
      q: p.get('q') || '', from: '', to: '', code: p.get('code') === '1',
      verified: p.get('verified') === '1', fresh: p.get('new') === '1',
      sort: SORTS.indexOf(p.get('sort')) >= 0 ? p.get('sort') : 'year'
    };
    FILTERS.forEach(function (k) { s[k] = p.get(k) || ''; });
    var year = /^(\d{4})?(-(\d{4})?)?$/.exec(p.get('year') || '');
    if (year) {
      s.from = year[1] || '';
      s.to = year[2] ? year[3] || '' : s.from;
    }
    return s;
  }

  function query(s) {
    var p = new URLSearchParams();
    if (s.q) p.set('q', s.q);
    if (s.from || s.to) p.set('year', s.from && s.from === s.to ? s.from : s.from + '-' + s.to);
    FILTERS.forEach(function (k) { if (s[k]) p.set(k, s[k]); });
    if (s.code) p.set('code', '1');
    if (s.verified) p.set('verified', '1');
    if (s.fresh) p.set('new', '1');
    if (s.sort !== 'year') p.set('sort', s.sort);
    var text = p.toString();
    return text ? '?' + text : '';
  }

  function saveUrl() {  // a moment after the last change: browsers limit replaceState calls
    clearTimeout(urlTimer);
    urlTimer = setTimeout(function () {
      var search = query(state);
      if (search === location.search) return;
      try {
        history.replaceState(null, '', search || location.pathname);
      } catch (e) { /* a browser that refuses it for file:// pages: the page works on */ }
    }, 120);
  }

  function choose(select, value) {
    if (value && !Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.appendChild(make('option', '', value + ' (no works)')).value = value;
    }
    select.value = value;
  }

  function showState(s, selects) {  // selects: false before their options are there
    ui.q.value = s.q;
    ui.from.value = s.from;
    ui.to.value = s.to;
    if (selects) FILTERS.forEach(function (k) { choose(ui[k], s[k]); });
    ui.sort.value = s.sort;
    ui.code.checked = s.code;
    ui.verified.checked = s.verified;
    ui.fresh.checked = s.fresh;
  }

  function year(input, previous) {  // a year being typed ("20") keeps the last whole one
    var v = input.value.trim();
    return v === '' || /^\d{4}$/.test(v) ? v : previous;
  }

  function controlState() {
    var s = {
      q: ui.q.value, from: year(ui.from, state.from), to: year(ui.to, state.to),
      code: ui.code.checked, verified: ui.verified.checked, fresh: ui.fresh.checked,
      sort: ui.sort.value
    };
    FILTERS.forEach(function (k) { s[k] = ui[k].value; });
    return s;
  }

  // ---- options of the selects --------------------------------------------------------------

  function counted(values) {
    var counts = new Map();
    values.forEach(function (v) { if (v) counts.set(v, (counts.get(v) || 0) + 1); });
    return counts;
  }

  function option(value, text, count) {
    var node = make('option', '', text + ' (' + number.format(count) + ')');
    node.value = value;
    return node;
  }

  function fillSelect(select, counts, label, sort) {
    var keys = Array.from(counts.keys());
    keys.sort(sort || function (a, b) { return counts.get(b) - counts.get(a) || (a < b ? -1 : 1); });
    var fragment = document.createDocumentFragment();
    keys.forEach(function (k) { fragment.appendChild(option(k, label ? label(k) : k, counts.get(k))); });
    select.appendChild(fragment);
  }

  function prefixes(place) {  // "l › A › B" -> ["l › A", "l › A › B"]
    var parts = place.split(SEP), out = [];
    for (var n = 2; n <= parts.length; n++) out.push(parts.slice(0, n).join(SEP));
    return out;
  }

  function fillSections(titles) {
    var under = places.map(prefixes);
    var counts = new Map();  // a section and its subsections -> works listed there
    works.forEach(function (w) {
      var mine = new Set();
      list(w.places).forEach(function (n) { (under[n] || []).forEach(function (p) { mine.add(p); }); });
      mine.forEach(function (p) { counts.set(p, (counts.get(p) || 0) + 1); });
    });
    var groups = new Map();
    Array.from(counts.keys()).sort().forEach(function (p) {
      var parts = p.split(SEP);
      if (!groups.has(parts[0])) {
        var group = make('optgroup');
        group.label = titles[parts[0]] || parts[0];
        groups.set(parts[0], group);
        ui.section.appendChild(group);
      }
      var indent = new Array(parts.length - 1).join('\u2003');
      groups.get(parts[0]).appendChild(option(p, indent + parts[parts.length - 1], counts.get(p)));
    });
  }

  function fillOptions() {
    var lists = list(data.lists);
    var titles = {};
    lists.forEach(function (l) { titles[l.id] = l.title || l.id; });
    fillSelect(ui.venue, counted(works.map(function (w) { return w.venue; })));
    fillSections(titles);
    fillSelect(ui.kind, counted(works.map(function (w) { return w.kind; })));
    var inList = new Map();
    works.forEach(function (w) {
      new Set(list(w.places).map(function (n) { return placeList[n]; })).forEach(function (l) {
        inList.set(l, (inList.get(l) || 0) + 1);
      });
    });
    var rank = lists.map(function (l) { return l.id; });
    fillSelect(ui.list, inList, function (id) { return titles[id] || id; }, function (a, b) {
      return (rank.indexOf(a) + 1 || 1e9) - (rank.indexOf(b) + 1 || 1e9) || (a < b ? -1 : 1);
    });
    var topics = list(data.topics);
    if (topics.length) {
      byId('topic-field').hidden = false;
      fillSelect(ui.topic, counted(works.map(function (w) { return w.topic; })), null, function (a, b) {
        return topics.indexOf(a) - topics.indexOf(b);
      });
    }
  }

  // ---- filtering ---------------------------------------------------------------------------

  function placeTest(s) {  // per place: whether it is in the chosen list and section
    return places.map(function (p, n) {
      return (!s.list || placeList[n] === s.list) &&
        (!s.section || p === s.section || p.indexOf(s.section + SEP) === 0);
    });
  }

  function passes(w, i, s, terms, inPlace) {
    if (s.from && !(w.year >= +s.from)) return false;
    if (s.to && !(w.year <= +s.to)) return false;
    if (s.venue && w.venue !== s.venue) return false;
    if (s.kind && w.kind !== s.kind) return false;
    if (s.topic && w.topic !== s.topic) return false;
    if (s.code && !list(w.code).length) return false;
    if (s.verified && !w.verified) return false;
    if (s.fresh && !w['new']) return false;
    if (inPlace && !list(w.places).some(function (n) { return inPlace[n]; })) return false;
    for (var t = 0; t < terms.length; t++) if (hay[i].indexOf(terms[t]) < 0) return false;
    return true;
  }

  function apply(s) {
    state = s;
    var terms = fold(s.q).split(/\s+/).filter(Boolean);
    if (terms.length) buildHay();
    var inPlace = s.list || s.section ? placeTest(s) : null;
    var sorted = order(s.sort);
    matched = [];
    for (var n = 0; n < sorted.length; n++) {
      var i = sorted[n];
      if (passes(works[i], i, s, terms, inPlace)) matched.push(i);
    }
    ui.results.textContent = '';
    shown = 0;
    showMore();
    saveUrl();
  }

  // ---- rendering ---------------------------------------------------------------------------

  function badge(text, className) { return make('span', 'badge ' + className, text); }

  function marks(node, status) {
    if (status === 'dead') node.appendChild(badge('link dead', 'bad'));
    if (status === 'moved') node.appendChild(badge('link moved', 'note'));
    if (status === 'parked') node.appendChild(badge('domain parked', 'bad'));
  }

  function titleLine(w) {
    var h = make('h2', 'title');
    // a parked domain now serves someone else's page: named, not linked
    h.appendChild(w.status === 'parked' ? make('span', 'name', w.title) : link(w.url, w.title, 'name'));
    marks(h, w.status);
    return h;
  }

  function byline(w) {
    var p = make('p', 'meta');
    var authors = list(w.authors);
    var more = authors.length - AUTHORS_SHOWN + (w.more_authors || 0);
    var text = authors.slice(0, AUTHORS_SHOWN).join(', ') + (more > 0 ? ' and ' + number.format(more) + ' more' : '');
    if (text) p.appendChild(make('span', 'authors', text));
    if (w.venue) p.appendChild(make('cite', 'venue', w.venue));
    if (w.year) p.appendChild(make('span', 'year', w.year));
    return p;
  }

  function codeFacts(ul, w) {
    codeOf(w).forEach(function (c) {
      var li = make('li', 'code');
      li.appendChild(link(c.url, c.repo ? 'code: ' + c.repo : 'code'));
      if (typeof c.stars === 'number') {
        var said = number.format(c.stars) + ' stars';
        var count = make('span', 'stars', '\u2605 ' + number.format(c.stars));
        if (typeof c.delta === 'number' && c.delta) {
          count.appendChild(make('span', c.delta > 0 ? 'up' : 'down', ' (' + signed(c.delta) + ')'));
          said += ', ' + signed(c.delta) + ' since the last run';
        }
        count.title = said;
        li.appendChild(count);
        li.appendChild(make('span', 'offscreen', ' (' + said + ')'));
      }
      marks(li, c.status);
      if (c.archived) li.appendChild(badge('archived', 'note'));
      if (c.silent) li.appendChild(badge('no push for two years', 'note'));
      ul.appendChild(li);
    });
  }

  function facts(w) {
    var ul = make('ul', 'facts');
    ul.appendChild(make('li', 'kind', w.kind));
    if (w['new']) ul.appendChild(make('li', 'new', 'new this week'));
    codeFacts(ul, w);
    if (typeof w.citations === 'number') ul.appendChild(make('li', 'citations', 'cited by ' + number.format(w.citations)));
    if (w.added) ul.appendChild(make('li', 'added', 'added ' + w.added));
    if (!w.verified) ul.appendChild(make('li', 'unverified', 'unverified: as the list says'));
    return ul;
  }

  function citeLine(w, i) {
    var p = make('p', 'cite');
    p.appendChild(make('code', 'key', w.key));
    [['bibtex', 'Copy BibTeX'], ['csl', 'Copy CSL-JSON']].forEach(function (b) {
      var button = make('button', 'copy', b[1]);
      button.type = 'button';
      button.dataset.copy = b[0];
      button.dataset.i = String(i);
      button.setAttribute('aria-label', b[1] + ' of ' + w.key);
      p.appendChild(button);
    });
    return p;
  }

  function row(i) {
    var w = works[i];
    var li = make('li', 'work');
    li.appendChild(titleLine(w));
    if (w.nickname) li.appendChild(make('p', 'nickname', w.nickname));
    li.appendChild(byline(w));
    var where = list(w.places).map(function (n) { return places[n]; }).filter(Boolean);
    if (where.length) li.appendChild(make('p', 'where', 'Listed in ' + where.join('; ')));
    li.appendChild(facts(w));
    if (w.key) {
      li.dataset.i = String(i);
      li.appendChild(citeLine(w, i));
    }
    return li;
  }

  function showMore() {
    var end = Math.min(matched.length, shown + CHUNK);
    var fragment = document.createDocumentFragment();
    for (var n = shown; n < end; n++) fragment.appendChild(row(matched[n]));
    ui.results.appendChild(fragment);
    shown = end;
    var left = matched.length - shown;
    ui.more.hidden = left <= 0;
    ui.more.textContent = 'Show ' + number.format(Math.min(left, CHUNK)) + ' more (' + number.format(left) + ' not shown yet)';
    ui.count.textContent = matched.length === works.length
      ? number.format(works.length) + ' works'
      : number.format(matched.length) + ' of ' + number.format(works.length) + ' works match';
  }

  // ---- copying -----------------------------------------------------------------------------

  window.SITE_CITE = function (shardNumber, entries) { cited[shardNumber] = entries; };

  function shard(n) {  // cite/NNN.js, loaded once, when a reader nears a copy button
    if (!loading[n]) {
      loading[n] = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = 'cite/' + ('00' + n).slice(-3) + '.js';
        script.onload = function () { return cited[n] ? resolve(cited[n]) : reject(new Error('empty')); };
        script.onerror = function () { loading[n] = null; reject(new Error('not loaded')); };
        document.head.appendChild(script);
      });
    }
    return loading[n];
  }

  function nearCopy(event) {
    var item = event.target.closest && event.target.closest('li.work[data-i]');
    if (item) shard(works[+item.dataset.i].cite).catch(function () {});
  }

  function copyByHand(text) {  // where the Clipboard API is missing or refused
    var area = make('textarea', 'offscreen');
    area.value = text;
    area.setAttribute('readonly', '');
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  function copy(text) {
    if (typeof text !== 'string') return Promise.resolve(false);
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(function () { return true; }, function () { return copyByHand(text); });
    }
    return Promise.resolve(copyByHand(text));
  }

  function onCopy(event) {
    var button = event.target.closest('button[data-copy]');
    if (!button) return;
    var w = works[+button.dataset.i];
    var bibtex = button.dataset.copy === 'bibtex';
    var what = bibtex ? 'BibTeX' : 'CSL-JSON';
    var done = function (ok) {
      ui.copied.textContent = ok ? what + ' of ' + w.key + ' copied.' : 'Could not copy the ' + what + ' of ' + w.key + '.';
    };
    var pick = function (entries) { return copy((entries[w.key] || [])[bibtex ? 0 : 1]); };
    // loaded already (the usual case): copied within the click, as every browser allows
    var ready = cited[w.cite];
    (ready ? pick(ready) : shard(w.cite).then(pick)).then(done, function () { done(false); });
  }

  // ---- page furniture ----------------------------------------------------------------------

  function header() {
    var lists = list(data.lists);
    var withCode = works.filter(function (w) { return list(w.code).length; }).length;
    byId('summary').textContent = number.format(works.length) + ' works from ' + lists.length +
      (lists.length === 1 ? ' list' : ' lists') + ', ' + number.format(withCode) + ' with code' +
      (data.date ? '; newest additions ' + data.date : '') + '.';
    var sources = byId('sources');
    lists.forEach(function (l, n) {
      if (n) sources.appendChild(document.createTextNode(' \u00b7 '));
      sources.appendChild(link(l.url, l.title || l.id));
    });
    var feed = typeof data.feed === 'string' ? data.feed : '';
    if (/^(\.\.\/)?[\w.-]+\.xml$/.test(feed) || safeUrl(feed)) {
      byId('feed').href = feed;
      byId('feed-place').hidden = false;
    }
    list(data.charts).forEach(function (c) {
      var file = typeof c === 'string' ? c : c && c.file;
      if (!/^[\w.-]+\.svg$/.test(file || '')) return;
      var figure = make('figure');
      var img = make('img');
      img.src = file;
      img.alt = (c && c.title) || 'Chart: ' + file.replace(/\.svg$/, '').replace(/[-_]/g, ' ');
      figure.appendChild(img);
      if (c && c.title) figure.appendChild(make('figcaption', '', c.title));
      byId('charts').appendChild(figure);
      byId('charts').hidden = false;
    });
  }

  function listen() {
    var changed = function () {  // selects and boxes say both "input" and "change"
      var s = controlState();
      if (JSON.stringify(s) !== JSON.stringify(state)) apply(s);
    };
    ui.form.addEventListener('input', changed);
    ui.form.addEventListener('change', changed);
    ui.form.addEventListener('submit', function (e) { e.preventDefault(); });
    ui.form.addEventListener('reset', function (e) {
      e.preventDefault();
      var s = readState('');
      showState(s, true);
      apply(s);
      ui.q.focus();
    });
    ui.more.addEventListener('click', showMore);
    ui.results.addEventListener('click', onCopy);
    ui.results.addEventListener('pointerover', nearCopy);
    ui.results.addEventListener('focusin', nearCopy);
    if ('IntersectionObserver' in window) {
      new IntersectionObserver(function (seen) {
        if (seen[0].isIntersecting && !ui.more.hidden) showMore();
      }, { rootMargin: '400px' }).observe(ui.more);
    }
    document.addEventListener('keydown', function (e) {  // "/" finds, as on many sites
      var t = e.target.tagName;
      if (e.key === '/' && t !== 'INPUT' && t !== 'SELECT' && t !== 'TEXTAREA' && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        ui.q.focus();
      }
    });
  }

  // The rows first; the selects' options (counted over every work) and the search index
  // once they are on the screen, so that the first rows do not wait for them.
  header();
  state = readState(location.search);
  showState(state, false);
  // on a phone the filters fold away under their summary, unless the URL sets one
  var set = query(state).replace(/^\?/, '').split('&').filter(function (p) { return p && p.indexOf('q=') !== 0; });
  if (window.matchMedia && window.matchMedia('(max-width: 40rem)').matches && !set.length) byId('panel').open = false;
  apply(state);
  performance.mark('site-first-render');  // the first rows are in the page
  listen();
  requestAnimationFrame(function () {
    setTimeout(function () {
      performance.mark('site-first-frame');  // ... and on the screen
      fillOptions();
      showState(state, true);  // the options a URL's filters name exist now
      buildHay();
      performance.mark('site-ready');
    }, 0);
  });
}());
