/* The interactive view: start from a readable focus, open and close on demand.
 *
 * PG_DATA (set just before this script) holds every node and edge of the view, the focus
 * to start from (viz/focus.py) and the words for classes and relations. What is drawn is
 * computed from the state alone - the steps taken (e:open a node's neighbours, c:close them,
 * o:open an aggregate, f:find a node), the hidden classes and relations and the "as of"
 * date - so the URL's hash, which holds the state, restores the view exactly.
 */
(function () {
  "use strict";
  var D = PG_DATA;
  var body = document.body;
  function stable() {
    if (!body.dataset.stable) {
      window.pgStableAt = performance.now();
      body.dataset.stable = "1";
    }
  }
  var root = document.getElementById("network");
  if (!root) { stable(); return; }

  var FONT = D.options.nodes.font.face;
  var WRAP = 150;          // widest label line, in canvas pixels
  var NEAR = 18;           // label size of the focus and what the reader opened from it
  var FAR = 14;            // label size of the rest: drawn when zoomed in (or on hover)
  var ACTOR = 22;          // label size of a membership view's actors
  var READABLE = 11;       // a label this many CSS pixels tall reads; a fit keeps to it
  // How an opening groups a node's neighbours (viz/focus.py, which a static figure shares).
  var SMALL = D.focus.limits.small;          // a group this small: node by node
  var GROUP_MAX = D.focus.limits.group_max;  // a group larger than this: one aggregate node
  var BUDGET = D.focus.limits.budget;        // how many neighbours one opening draws singly
  var PAGE = 30;           // how many members a click on an aggregate opens (a phone: 12)
  // A phone gets its own first layout: fewer nodes round the focus (more of them folded
  // into groups), labels that wrap narrower and read at least 11 px once the drawing fits.
  var COMPACT = root.clientWidth < 600;
  var PHONE_SEEDS = 5;     // how many nodes a phone keeps of a view without a centre
  var PHONE_MAX = 12;      // ... and about how many it draws in all
  if (COMPACT) {
    WRAP = 96; NEAR = 18; FAR = 14; SMALL = 1; GROUP_MAX = 3; BUDGET = 4; PAGE = 12;
  }
  // Rings take the frame's shape (wider than tall on a screen, taller on a phone).
  var ELLIPSE = Math.min(1.6, Math.max(0.55, root.clientWidth / Math.max(root.clientHeight, 1)));

  var all = {};
  D.nodes.forEach(function (n) { all[n.id] = n; });
  var adj = {};
  D.edges.forEach(function (e, i) {
    (adj[e.from] = adj[e.from] || []).push(i);
    (adj[e.to] = adj[e.to] || []).push(i);
  });
  function words(rel) { return (D.relations[rel] || { label: rel }).label; }
  // The page's own words in the view's language (viz/words.py), ``{n}`` and the like filled.
  function say(key, values) {
    return (D.words[key] || key).replace(/\{(\w+)\}/g, function (m, k) {
      return values && k in values ? values[k] : m;
    });
  }
  // A date (2025-09-18, 2025-09 or 2025) as the page's language writes it.
  function dateText(text) {
    var part = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(text || "");
    if (!part) return text || "";
    var m = part[2] ? Number(part[2]) : 0, d = part[3] ? Number(part[3]) : 0;
    return say(d ? "date-day" : m ? "date-month" : "date-year",
               { y: part[1], m: m, d: d, mon: m ? say("months").split(" ")[m - 1] : "" });
  }
  // Where a passage is: the report's lines, or another document's title and lines.
  function lineRef(ref, doc) {
    var many = /[–-]/.test(ref);
    return doc ? say(many ? "document-lines" : "document-line", { d: doc, x: ref })
               : say(many ? "report-lines" : "report-line", { x: ref });
  }
  function order(rel) { return (D.relations[rel] || { order: 99 }).order; }
  function groupOf(id) { return all[id].pgGroup || "other"; }
  function rank(group) { return (D.groups[group] || { rank: 99 }).rank; }
  // A view with its own groups (memberships): its actors, laid out by blocks (below).
  var ACTORS = D.focus.actors || null;
  var FOCUS = COMPACT ? compactFocus(D.focus) : D.focus;
  // A phone's membership lines go without words: on its narrow grid they would sit on the
  // frameworks' labels (the panel and the tooltips have them).
  var EDGE_LABELS = D.edgeLabels && !(COMPACT && ACTORS);

  // A view without a centre on a phone: its key nodes (or best-connected ones) and, for the
  // rest, one group per class - hung from the one kept node it belongs to, if only one;
  // beyond about PHONE_MAX, the smallest classes share one group of "others".
  // A view with its own groups keeps its key nodes and folds every group, small ones too.
  function compactFocus(f) {
    if (f.groups) return { shown: f.key, expand: [], key: f.key, aggregates: f.groups };
    var count = f.shown.length + f.aggregates.length;
    if (f.expand.length || count <= PHONE_SEEDS + 2) return f;
    var shown = new Set(f.shown);
    var seeds = (f.key || []).filter(function (id) { return shown.has(id); });
    if (seeds.length > PHONE_SEEDS) seeds = seeds.slice(0, PHONE_SEEDS);
    if (!seeds.length) seeds = f.shown.slice().sort(bySize).slice(0, PHONE_SEEDS);
    var kept = new Set(seeds);
    var rest = f.shown.filter(function (id) { return !kept.has(id); });
    f.aggregates.forEach(function (a) { rest = rest.concat(a.members); });
    rest.sort(bySize);
    function grouped(anchored) {
      var groups = new Map();
      rest.forEach(function (id) {
        var near = new Set();
        (adj[id] || []).forEach(function (i) {
          var e = D.edges[i], other = e.from === id ? e.to : e.from;
          if (kept.has(other)) near.add(other);
        });
        var anchor = anchored && near.size === 1 ? Array.from(near)[0] : null;
        var key = (anchor ? anchor + "|only|" : "all|") + groupOf(id);
        if (!groups.has(key)) groups.set(key, { id: key, group: groupOf(id), anchor: anchor, members: [] });
        groups.get(key).members.push(id);
      });
      return Array.from(groups.values()).sort(function (a, b) {
        return rank(a.group) - rank(b.group) || (a.id < b.id ? -1 : 1);
      });
    }
    var aggregates = grouped(true);
    if (seeds.length + aggregates.length > PHONE_MAX) aggregates = othersTogether(grouped(false));
    return { shown: seeds, expand: [], key: f.key || [], aggregates: aggregates };

    // Still too many classes for a phone: the largest keep their groups, the smaller ones
    // share one "others" group (a reader opens it like any other).
    function othersTogether(groups) {
      var room = PHONE_MAX - seeds.length - 1;
      if (groups.length <= room + 1) return groups;
      var big = groups.filter(function (g) { return g.group !== "other"; }).sort(function (a, b) {
        return b.members.length - a.members.length || rank(a.group) - rank(b.group);
      }).slice(0, room);
      var others = { id: "all|other", group: "other", anchor: null, members: [] };
      var kept = groups.filter(function (g) {
        if (big.indexOf(g) >= 0) return true;
        others.members = others.members.concat(g.members);
        return false;
      });
      others.members.sort(bySize);
      return kept.concat([others]);
    }
  }

  // ---- state and permalink -------------------------------------------------------------
  var state = emptyState();
  function emptyState() {
    return { steps: [], hide: [], hideRel: [], asOf: "", sel: "" };
  }
  function readHash() {
    var s = emptyState();
    var q = new URLSearchParams(location.hash.replace(/^#/, ""));
    function list(key) { return (q.get(key) || "").split(",").filter(Boolean); }
    s.steps = list("steps");
    s.hide = list("hide");
    s.hideRel = list("rel");
    var d = q.get("asof") || "";
    s.asOf = /^\d{4}(-\d{2}){0,2}$/.test(d) ? d : "";
    s.sel = all[q.get("sel")] ? q.get("sel") : "";
    return s;
  }
  function hash() {
    var q = new URLSearchParams();
    if (state.steps.length) q.set("steps", state.steps.join(","));
    if (state.hide.length) q.set("hide", state.hide.join(","));
    if (state.hideRel.length) q.set("rel", state.hideRel.join(","));
    if (state.asOf) q.set("asof", state.asOf);
    if (state.sel) q.set("sel", state.sel);
    return q.toString();
  }
  function writeHash() {
    var h = hash();
    try { history.replaceState(null, "", h ? "#" + h : location.pathname + location.search); }
    catch (err) { /* an opaque origin: the permalink below still has it */ }
    var link = document.getElementById("permalink");
    if (link) link.textContent = D.permalink + (h ? "#" + h : "");
  }

  // ---- what is valid on a date ---------------------------------------------------------
  function day(text, end) {
    if (!text) return "";
    if (/^\d{4}$/.test(text)) return text + (end ? "-12-31" : "-01-01");
    if (/^\d{4}-\d{2}$/.test(text)) return text + (end ? "-31" : "-01");
    return text.slice(0, 10);
  }
  function termValid(t, on) {
    // t: [role, start, end, status]
    if (t[3] === "Proposed" || t[3] === "Suspended") return false;
    if (t[3] === "Ended" && !t[2]) return false;
    if (t[1] && day(t[1], false) > on) return false;
    if (t[2] && day(t[2], true) < on) return false;
    return true;
  }
  function edgeOk(e) {
    if (state.hideRel.indexOf(e.relation) >= 0) return false;
    if (state.asOf && e.pgTerms) {
      var on = day(state.asOf, false);
      return e.pgTerms.some(function (t) { return termValid(t, on); });
    }
    return true;
  }
  function nodeOk(id) {
    return id === D.centre || state.hide.indexOf(groupOf(id)) < 0;
  }

  // ---- what to draw, from the state ----------------------------------------------------
  var current = null;
  function compute() {
    var shown = new Map();     // id -> { level, parent }
    var aggs = new Map();      // id -> { id, group, rel, anchor, level, members }
    var owner = new Map();     // member id -> aggregate id
    var expanded = new Set();
    var levelZero = FOCUS.expand.length ? 0 : 1;
    FOCUS.shown.forEach(function (id) {
      shown.set(id, { level: id === D.centre ? 0 : levelZero, parent: null });
    });
    FOCUS.aggregates.forEach(function (a) {
      var members = a.members.filter(nodeOk);
      if (!members.length) return;
      aggs.set(a.id, { id: a.id, group: a.group, rel: "", anchor: a.anchor || null, level: 1,
                       members: members, opened: 0, say: a.say, holders: a.holders,
                       status: a.status });
      members.forEach(function (m) { owner.set(m, a.id); });
    });
    function take(id) {
      var from = owner.get(id);
      if (from === undefined) return;
      owner.delete(id);
      var a = aggs.get(from);
      a.members = a.members.filter(function (m) { return m !== id; });
      if (!a.members.length) aggs.delete(from);
    }
    function open(x) {
      if (!shown.has(x) || expanded.has(x)) return;
      expanded.add(x);
      if (ACTORS) {  // an actor's neighbours are the frameworks it holds: open its groups
        aggs.forEach(function (a, id) {
          if ((a.holders || []).indexOf(x) >= 0) while (aggs.has(id)) openAggregate(id, true);
        });
        return;
      }
      var level = shown.get(x).level + 1;
      var best = new Map();
      (adj[x] || []).forEach(function (i) {
        var e = D.edges[i];
        var other = e.from === x ? e.to : e.from;
        if (other === x || shown.has(other) || !nodeOk(other) || !edgeOk(e)) return;
        var was = best.get(other);
        if (!was || order(e.relation) < order(was.rel)) {
          best.set(other, { rel: e.relation, dir: e.from === x ? "out" : "in" });
        }
      });
      var groups = new Map();
      best.forEach(function (b, other) {
        var key = b.rel + "|" + b.dir + "|" + groupOf(other);
        if (!groups.has(key)) groups.set(key, { key: key, rel: b.rel, group: groupOf(other), ids: [] });
        groups.get(key).ids.push(other);
      });
      var list = Array.from(groups.values()).sort(function (a, b) {
        return rank(a.group) - rank(b.group) || a.ids.length - b.ids.length ||
          (a.key < b.key ? -1 : 1);
      });
      var drawn = 0;
      list.forEach(function (g) {
        g.ids.sort(bySize);
        var n = g.ids.length;
        if (n <= SMALL || (n <= GROUP_MAX && drawn + n <= BUDGET)) {
          drawn += n;
          g.ids.forEach(function (id) { take(id); shown.set(id, { level: level, parent: x }); });
        } else {
          var id = x + "|" + g.key;
          g.ids.forEach(take);
          aggs.set(id, { id: id, group: g.group, rel: g.rel, anchor: x, level: level,
                         members: g.ids, opened: 0 });
          g.ids.forEach(function (m) { owner.set(m, id); });
        }
      });
    }
    function openAggregate(id, whole) {
      var a = aggs.get(id);
      if (!a) return;
      var page = whole ? a.members.length : PAGE;
      a.members.slice(0, page).forEach(function (m) {
        owner.delete(m);
        shown.set(m, { level: a.level, parent: a.anchor, from: id });
      });
      a.members = a.members.slice(page);
      a.opened += 1;
      if (!a.members.length) aggs.delete(id);
    }
    function find(id) {
      if (shown.has(id) || !all[id]) return;
      take(id);
      var parent = null;
      (adj[id] || []).some(function (i) {
        var e = D.edges[i];
        var other = e.from === id ? e.to : e.from;
        if (shown.has(other)) { parent = other; return true; }
        return false;
      });
      shown.set(id, { level: 1, parent: parent });
    }
    effectiveSteps().forEach(function (step) {
      var what = step.slice(0, 1), arg = step.slice(2);
      if (what === "e") open(arg);
      else if (what === "o") openAggregate(arg);
      else if (what === "f") find(arg);
    });
    shown.forEach(function (_, id) { if (!nodeOk(id)) shown.delete(id); });
    return { shown: shown, aggs: aggs, owner: owner, expanded: expanded };
  }
  function bySize(a, b) {
    return (all[b].size || 0) - (all[a].size || 0) || (a < b ? -1 : 1);
  }
  // The focus's own openings, then the reader's steps; closing a node drops its opening and
  // the aggregates it made (and with them what was opened from them); folding a group back
  // (k:) drops its openings.
  function effectiveSteps() {
    var steps = FOCUS.expand.map(function (id) { return "e:" + id; }).concat(state.steps);
    var kept = [];
    steps.forEach(function (step) {
      if (step.slice(0, 2) === "k:") {
        kept = kept.filter(function (s) { return s !== "o:" + step.slice(2); });
      } else if (step.slice(0, 2) === "c:") {
        var x = step.slice(2);
        kept = kept.filter(function (s) {
          return s !== "e:" + x && s.indexOf("o:" + x + "|") !== 0;
        });
      } else if (kept.indexOf(step) < 0 || step.slice(0, 2) === "o:") {
        kept.push(step);
      }
    });
    return kept;
  }

  // ---- labels and layout ---------------------------------------------------------------
  var measure = document.createElement("canvas").getContext("2d");
  function wrap(text, size) {
    measure.font = size + "px " + FONT;
    var lines = [], line = "";
    function fits(s) { return measure.measureText(s).width <= WRAP; }
    text.split(/\s+/).forEach(function (word) {
      var candidate = line ? line + " " + word : word;
      if (fits(candidate)) { line = candidate; return; }
      if (line) lines.push(line);
      line = "";
      if (!/[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]/.test(word)) { line = word; return; }
      Array.from(word).forEach(function (ch) {  // CJK wider than a line: by character
        // A closing bracket or stop never starts a line (it stays, a little over, on the last).
        if (fits(line + ch) || !line || /[)）」』、。，．・]/.test(ch)) line += ch;
        else { lines.push(line); line = ch; }
      });
    });
    if (line) lines.push(line);
    return lines;
  }
  var sizes = new Map();
  function box(id, at) {
    var s = sizes.get(id);
    var half = Math.max(s.width / 2, s.radius);
    return { left: at.x - half - 6, right: at.x + half + 6,
             top: at.y - s.radius - 6, bottom: at.y + s.radius + 8 + s.height };
  }
  function overlap(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }
  var pos = new Map();
  // Place ``ids`` round ``centre`` (a full ring, or an arc of ``span`` facing ``towards``),
  // as far out as needed for no label box to overlap another or one already placed.
  function placeAround(centre, ids, towards, span, start) {
    if (!ids.length) return;
    var placed = [];
    pos.forEach(function (p, id) { if (sizes.has(id)) placed.push(box(id, p)); });
    var n = ids.length, full = span >= 2 * Math.PI - 1e-6;
    var r = start, at = [];
    for (var round = 0; round < 60; round++) {
      at = ids.map(function (id, k) {
        var theta = full ? towards + 2 * Math.PI * k / n
          : towards - span / 2 + span * (n === 1 ? 0.5 : k / (n - 1));
        // A full ring of many alternates two radii, so neighbouring labels sit apart.
        var rr = full && n >= 10 && k % 2 ? r * 1.22 : r;
        return { x: centre.x + rr * ELLIPSE * Math.cos(theta), y: centre.y + rr * Math.sin(theta) };
      });
      var boxes = ids.map(function (id, k) { return box(id, at[k]); });
      var clash = boxes.some(function (b, k) {
        for (var j = k + 1; j < boxes.length; j++) if (overlap(b, boxes[j])) return true;
        return placed.some(function (p) { return overlap(b, p); });
      });
      if (!clash) break;
      r *= 1.1;
    }
    ids.forEach(function (id, k) { pos.set(id, at[k]); });
  }
  function layout(view, first) {
    if (ACTORS) { blocks(view); return; }
    var fresh = [];
    view.forEach(function (n) { if (!pos.has(n.id)) fresh.push(n); });
    if (!fresh.length) return;
    var byParent = new Map(), orphans = [];
    fresh.forEach(function (n) {
      var p = n.pgParent;
      if (p && (pos.has(p) || byParent.has(p) || fresh.some(function (f) { return f.id === p; }))) {
        if (!byParent.has(p)) byParent.set(p, []);
        byParent.get(p).push(n.id);
      } else {
        orphans.push(n);
      }
    });
    var origin = { x: 0, y: 0 };
    if (first && orphans.length) {
      var centre = orphans.find(function (n) { return n.id === D.centre; });
      if (centre) {
        pos.set(centre.id, origin);
        orphans = orphans.filter(function (n) { return n !== centre; });
        // The rest of a small view: by distance from the centre, each round its parent.
        bfsParents(orphans, byParent);
        orphans = orphans.filter(function (n) { return !n.pgParent; });
      } else if (orphans.every(function (n) { return !n.pgAggregate && "x" in all[n.id]; })) {
        spreadComputed(orphans);
        orphans = [];
      } else {
        ringsOfKeptAndGroups(orphans);
        orphans = [];
      }
    }
    var done = new Set();
    function drain() {
      var progress = true;
      while (progress) {
        progress = false;
        byParent.forEach(function (kids, p) {
          if (done.has(p) || !pos.has(p)) return;
          done.add(p);
          progress = true;
          var here = pos.get(p);
          var fullRing = here.x === 0 && here.y === 0;
          var span = Math.min(Math.PI * 1.2, Math.max(0.9, kids.length * 0.28));
          placeAround(here, kids, fullRing ? -Math.PI / 2 : Math.atan2(here.y, here.x),
                      fullRing ? 2 * Math.PI : span, fullRing ? 140 : 150);
        });
      }
    }
    function ring(ids) {
      if (!ids.length) return;
      var far = 0;
      pos.forEach(function (p) { far = Math.max(far, Math.hypot(p.x / ELLIPSE, p.y)); });
      placeAround(origin, ids, -Math.PI / 2, 2 * Math.PI, far ? far + 160 : 140);
    }
    drain();
    ring(orphans.map(function (n) { return n.id; }));
    drain();
    var left = [];
    byParent.forEach(function (kids, p) { if (!done.has(p)) left = left.concat(kids); });
    ring(left);
  }
  // ---- the membership view: blocks ----------------------------------------------------
  // Each framework, or group of them, sits in the block of the actors holding it: what all
  // share in the middle, an actor's own beneath it (beyond it on a phone or a circle), what
  // some share between those. The actors sit on the sides (two: left and right, on a phone
  // above and below; more: on a circle) and move apart until no block overlaps another or
  // an actor. A block is a grid
  // read down its columns, its frameworks by status, then name; of the grids tried (up to
  // BLOCK_ROWS rows, on a phone up to PHONE_COLUMNS columns) the one that fills the frame
  // best is kept. All is placed anew at each change.
  var STATUS_ORDER = ["active", "suspended", "ended", "proposed"];  // differing ones last
  var BLOCK_ROWS = 8;
  var PHONE_COLUMNS = 2;
  var GAP = 36;            // between an actor and a block, in canvas pixels
  function statusRank(status) {
    var i = STATUS_ORDER.indexOf(status || "");
    return i >= 0 ? i : STATUS_ORDER.length;
  }
  function actorAt(i, n, r) {
    if (n === 1) return { x: 0, y: 0 };
    if (n === 2) return COMPACT ? { x: 0, y: (i ? 1 : -1) * r } : { x: (i ? 1 : -1) * r, y: 0 };
    var t = 2 * Math.PI * i / n;  // the first on the left, clockwise
    return { x: -r * ELLIPSE * Math.cos(t), y: -r * Math.sin(t) };
  }
  // How far a rectangle reaches from ``at`` in the direction ``d`` (a unit vector).
  function reach(rect, at, d) {
    return Math.max(d.x * (rect.left - at.x), d.x * (rect.right - at.x)) +
      Math.max(d.y * (rect.top - at.y), d.y * (rect.bottom - at.y));
  }
  function blocks(view) {
    var actors = [], regions = new Map();
    view.forEach(function (n) {
      if (ACTORS.indexOf(n.id) >= 0) { actors.push(n.id); return; }
      var holders = (n.pgAggregate ? n.pgHolders : all[n.id].pgHolders) || [];
      var key = holders.join("+");
      if (!regions.has(key)) regions.set(key, { holders: holders, items: [] });
      regions.get(key).items.push(n);
    });
    regions.forEach(function (r) {
      r.items.sort(function (a, b) {
        return statusRank(a.pgStatus) - statusRank(b.pgStatus) ||
          (a.pgAggregate ? 1 : 0) - (b.pgAggregate ? 1 : 0) ||
          String(all[a.id] ? all[a.id].label : a.id).localeCompare(String(all[b.id] ? all[b.id].label : b.id), D.lang);
      });
      r.cellW = 0; r.cellH = 0;
      r.items.forEach(function (n) {
        var b = box(n.id, { x: 0, y: 0 });
        r.cellW = Math.max(r.cellW, b.right - b.left + 4);
        r.cellH = Math.max(r.cellH, b.bottom - b.top + 4);
      });
    });
    var n = ACTORS.length, at = new Map(), rects = [];
    function place(radius) {
      at = new Map(); rects = [];
      ACTORS.forEach(function (a, i) { at.set(a, actorAt(i, n, radius)); });
      actors.forEach(function (a) { rects.push(box(a, at.get(a))); });
      regions.forEach(function (r) {
        var c = { x: 0, y: 0 };
        r.holders.forEach(function (h) {
          var p = at.get(h) || { x: 0, y: 0 };
          c.x += p.x / r.holders.length; c.y += p.y / r.holders.length;
        });
        var w = r.cols * r.cellW, h = r.rows * r.cellH;
        if (r.holders.length === 1 && at.has(r.holders[0])) {
          // Beneath its actor (two side by side, or one), else beyond it, outwards.
          var d = n <= 2 && !COMPACT ? { x: 0, y: 1 } : n === 1 ? { x: 0, y: 1 } : { x: c.x, y: c.y };
          var len = Math.hypot(d.x, d.y) || 1;
          d = { x: d.x / len, y: d.y / len };
          var out = reach(box(r.holders[0], c), c, d) + GAP + Math.abs(d.x) * w / 2 + Math.abs(d.y) * h / 2;
          c = { x: c.x + d.x * out, y: c.y + d.y * out };
        }
        r.rect = { left: c.x - w / 2, right: c.x + w / 2, top: c.y - h / 2, bottom: c.y + h / 2 };
        rects.push(r.rect);
      });
    }
    function clash() {
      for (var i = 0; i < rects.length; i++) {
        for (var j = i + 1; j < rects.length; j++) {
          var a = rects[i], b = rects[j];
          if (a.left < b.right + GAP && b.left < a.right + GAP &&
              a.top < b.bottom + GAP / 2 && b.top < a.bottom + GAP / 2) return true;
        }
      }
      return false;
    }
    // A grid of ``limit`` rows at most (on a phone: columns), the actors as near as they can.
    function arrange(limit) {
      regions.forEach(function (r) {
        var k = r.items.length;
        r.cols = COMPACT ? Math.min(k, limit) : Math.ceil(k / limit);
        r.rows = Math.ceil(k / r.cols);
      });
      var radius = 60;
      for (var round = 0; round < 120; round++) {
        place(radius);
        if (!clash()) break;
        radius *= 1.05;
      }
      var span = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
      rects.forEach(function (b) {
        span.left = Math.min(span.left, b.left); span.right = Math.max(span.right, b.right);
        span.top = Math.min(span.top, b.top); span.bottom = Math.max(span.bottom, b.bottom);
      });
      return Math.min(root.clientWidth / (span.right - span.left), root.clientHeight / (span.bottom - span.top));
    }
    var best = 1, bestScale = -1;
    for (var limit = 1; limit <= (COMPACT ? PHONE_COLUMNS : BLOCK_ROWS); limit++) {
      var scale = arrange(limit);
      if (scale > bestScale * 1.02) { best = limit; bestScale = scale; }
    }
    arrange(best);
    pos.clear();
    at.forEach(function (p, a) { pos.set(a, p); });
    regions.forEach(function (r) {
      r.items.forEach(function (node, i) {
        var b = box(node.id, { x: 0, y: 0 });
        var x = r.rect.left + (Math.floor(i / r.rows) + 0.5) * r.cellW;
        var y = r.rect.top + (i % r.rows + 0.5) * r.cellH;
        pos.set(node.id, { x: x - (b.left + b.right) / 2, y: y - (b.top + b.bottom) / 2 });
      });
    });
  }

  function bfsParents(orphans, byParent) {
    var wanted = new Set(orphans.map(function (n) { return n.id; }));
    var seen = new Set([D.centre]), queue = [D.centre];
    var node = new Map(orphans.map(function (n) { return [n.id, n]; }));
    while (queue.length) {
      var x = queue.shift();
      (adj[x] || []).forEach(function (i) {
        var e = D.edges[i];
        var other = e.from === x ? e.to : e.from;
        if (!wanted.has(other) || seen.has(other)) return;
        seen.add(other);
        queue.push(other);
        node.get(other).pgParent = x;
        if (!byParent.has(x)) byParent.set(x, []);
        byParent.get(x).push(other);
      });
    }
  }
  // A view without a centre, some of it in groups: the kept nodes on a ring (two: one above
  // the other), each group hung from its one kept node outwards (by drain); the other groups
  // on a ring beyond - or, between two kept nodes, in the middle (what two actors share).
  function ringsOfKeptAndGroups(orphans) {
    var kept = orphans.filter(function (n) { return !n.pgAggregate; });
    var loose = orphans.filter(function (n) { return n.pgAggregate && !n.pgParent; });
    var between = kept.length <= 2 ? loose.length : 0;
    placeAround({ x: 0, y: 0 }, kept.map(function (n) { return n.id; }), -Math.PI / 2, 2 * Math.PI,
                140 + 60 * Math.min(between, 2));
    if (!between) {
      var far = 0;
      pos.forEach(function (p) { far = Math.max(far, Math.hypot(p.x / ELLIPSE, p.y)); });
      placeAround({ x: 0, y: 0 }, loose.map(function (n) { return n.id; }), -Math.PI / 2 + 0.3,
                  2 * Math.PI, far + 120);
      return;
    }
    var mid = { x: 0, y: 0 };
    kept.forEach(function (n) { var p = pos.get(n.id); mid.x += p.x / kept.length; mid.y += p.y / kept.length; });
    placeAround(mid, loose.map(function (n) { return n.id; }), 0, 2 * Math.PI, 70);
  }
  // A whole small view without a centre: the computed positions, with overlapping label
  // boxes pushed apart (along the axis where they overlap least) until none overlaps.
  function spreadComputed(nodes) {
    var at = nodes.map(function (n) { return { x: all[n.id].x * 1.2, y: all[n.id].y * 1.2 }; });
    for (var round = 0; round < 300; round++) {
      var moved = false;
      for (var i = 0; i < nodes.length; i++) {
        for (var j = i + 1; j < nodes.length; j++) {
          var a = box(nodes[i].id, at[i]), b = box(nodes[j].id, at[j]);
          if (!overlap(a, b)) continue;
          moved = true;
          var dx = Math.min(a.right - b.left, b.right - a.left);
          var dy = Math.min(a.bottom - b.top, b.bottom - a.top);
          if (dx < dy) {
            var sx = (at[i].x < at[j].x || (at[i].x === at[j].x && i < j)) ? -1 : 1;
            at[i].x += sx * (dx / 2 + 1); at[j].x -= sx * (dx / 2 + 1);
          } else {
            var sy = (at[i].y < at[j].y || (at[i].y === at[j].y && i < j)) ? -1 : 1;
            at[i].y += sy * (dy / 2 + 1); at[j].y -= sy * (dy / 2 + 1);
          }
        }
      }
      if (!moved) break;
    }
    nodes.forEach(function (n, k) { pos.set(n.id, at[k]); });
  }

  // ---- drawing -------------------------------------------------------------------------
  function realNode(id, info) {
    var src = all[id];
    var near = info.level <= 1;
    var size = ACTORS && ACTORS.indexOf(id) >= 0 ? ACTOR : near ? NEAR : FAR;
    var lines = wrap(String(src.label), size);
    var node = Object.assign({}, src, {
      label: lines.join("\n"),
      font: { size: size },
      scaling: { label: { drawThreshold: near ? 0 : 10 } },
      pgParent: info.parent || null,
      pgLevel: info.level
    });
    delete node.x; delete node.y;
    measureNode(id, lines, size, src.size || 10);
    return node;
  }
  function aggregateNode(a) {
    var g = D.groups[a.group] || { one: a.group, many: a.group, colour: "#999999", shape: "dot" };
    var n = a.members.length;
    var text = say(a.say || (a.opened ? "aggregate-more" : n === 1 ? "aggregate-one" : "aggregate"),
                   { n: n, one: g.one, many: n === 1 ? g.one : g.many });
    var held = a.holders ? " — " + say("held-by", { x: a.holders.map(function (h) {
      return all[h] ? all[h].label : h; }).join(", ") }) : "";
    var lines = wrap(text, NEAR);
    var names = a.members.slice(0, 8).map(function (m) { return all[m].label; });
    measureNode(a.id, lines, NEAR, 22);
    return {
      id: a.id, label: lines.join("\n"), shape: g.shape, size: 22,
      color: { background: "#ffffff", border: g.colour,
               highlight: { background: "#ffffff", border: "#000000" },
               hover: { background: "#ffffff", border: "#000000" } },
      borderWidth: 3, shapeProperties: { borderDashes: [5, 3] },
      font: { size: NEAR }, scaling: { label: { drawThreshold: 0 } },
      title: text + held + (a.rel ? " (" + words(a.rel) + ")" : "") + say("click-to-open") +
        (n > PAGE ? say("the-first", { n: PAGE }) : "") + ":\n" + names.join("\n") + (n > 8 ? "\n…" : ""),
      pgAggregate: true, pgGroup: a.group, pgCount: n, pgParent: a.anchor, pgLevel: a.level,
      pgHolders: a.holders, pgStatus: a.status
    };
  }
  function measureNode(id, lines, size, radius) {
    measure.font = size + "px " + FONT;
    var width = 0;
    lines.forEach(function (l) { width = Math.max(width, measure.measureText(l).width); });
    sizes.set(id, { width: width, height: lines.length * size * 1.25, radius: radius });
  }
  // An edge's tooltip: its ends, its relation (with a membership's terms) and its passages -
  // a proposal's relations have the proposal's, a membership its own.
  var STATED_BY_SUBJECT = ["involves", "concerns", "addresses", "inSection"];
  function edgeTitle(e) {
    var lines = [all[e.from].label + " → " + all[e.to].label,
                 words(e.relation) + (e.pgTerms ? " (" + e.pgTerms.map(termText).join("; ") + ")" : "")];
    var quotes = e.pgEvidence || (STATED_BY_SUBJECT.indexOf(e.relation) >= 0 ? all[e.from].pgEvidence : []) || [];
    quotes.slice(0, 3).forEach(function (p) {
      lines.push(p[0] ? "「" + p[1] + "」 (" + lineRef(p[0], p[2]) + ")" : say("source", { x: p[1] }));
    });
    return lines.join("\n");
  }
  function drawEdges(view) {
    var out = [];
    var shown = view.shown;
    D.edges.forEach(function (e) {
      if (e.from !== e.to && shown.has(e.from) && shown.has(e.to) && edgeOk(e)) {
        var drawn = Object.assign({ title: edgeTitle(e) }, e);
        if (!EDGE_LABELS) delete drawn.label;  // the relation is in the legend and tooltip
        out.push(drawn);
      }
    });
    var bundles = new Map();
    view.aggs.forEach(function (a) {
      a.members.forEach(function (m) {
        (adj[m] || []).forEach(function (i) {
          var e = D.edges[i];
          var other = e.from === m ? e.to : e.from;
          // An aggregate hangs from its anchor; one of the view's own groups from all.
          if (!shown.has(other) || !edgeOk(e) || (a.anchor && other !== a.anchor)) return;
          var out = e.from === m;
          var key = a.id + "\u0000" + other + "\u0000" + e.relation + "\u0000" + out;
          var b = bundles.get(key);
          if (!b) bundles.set(key, b = { a: a.id, other: other, rel: e.relation, out: out, n: 0 });
          b.n += 1;
        });
      });
    });
    bundles.forEach(function (b, key) {
      var style = D.edges.find(function (e) { return e.relation === b.rel; });
      out.push({
        id: "agg:" + key, from: b.out ? b.a : b.other, to: b.out ? b.other : b.a,
        relation: b.rel, color: style ? style.color : { color: "#999999" },
        dashes: style ? style.dashes : false, width: Math.min(6, 1.5 + Math.log2(b.n)),
        title: b.n + " × " + words(b.rel), pgBundle: b.n
      });
    });
    return out;
  }

  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var options = Object.assign({}, D.options);
  var network = new vis.Network(root, { nodes: nodes, edges: edges }, options);
  window.pgNodes = nodes;
  window.pgEdges = edges;
  window.pgNetwork = network;
  network.on("beforeDrawing", function (ctx) {  // a white ground, for the PNG download
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });

  function render(first) {
    var before = new Set(nodes.getIds());
    current = compute();
    var view = [];
    current.shown.forEach(function (info, id) { view.push(realNode(id, info)); });
    current.aggs.forEach(function (a) { view.push(aggregateNode(a)); });
    layout(view, first);
    view.forEach(function (n) {
      var p = pos.get(n.id);
      n.x = p.x; n.y = p.y;
      if (n.id === state.sel) n.borderWidth = 4;
    });
    var keep = new Set(view.map(function (n) { return n.id; }));
    nodes.remove(nodes.getIds().filter(function (id) { return !keep.has(id); }));
    nodes.update(view);
    edges.clear();
    edges.add(drawEdges(current));
    if (ACTORS && !first) refit(view.map(function (n) { return n.id; }), before);
    window.pgView = {
      total: D.nodes.length,  // every entity of the view, drawn or inside a group
      shown: Array.from(current.shown.keys()),
      aggregates: Array.from(current.aggs.keys()),
      expanded: Array.from(current.expanded),
      state: JSON.parse(JSON.stringify(state))
    };
    status();
    controls();
    panel();
    writeHash();
  }

  // The drawing as large as the frame allows, every label whole: vis-network's own fit
  // leaves a tenth empty and counts one line of a label of several.
  function fitAll() {
    fitIds(nodes.getIds());
  }
  // A membership view is placed anew when what it draws changes: it is fitted whole where
  // its labels stay readable, else to the blocks of what was just opened and their actors.
  function refit(ids, before) {
    var fresh = ids.filter(function (id) { return !before.has(id); });
    if (!fresh.length && ids.length === before.size) return;  // the same nodes, in place
    if (!fresh.length || extent(ids).scale * NEAR >= READABLE) { fitAll(); return; }
    function holders(id) { return (nodes.get(id) || {}).pgHolders || []; }
    var blocks = new Set(fresh.map(function (id) { return holders(id).join("+"); }));
    var near = ids.filter(function (id) {
      return blocks.has(holders(id).join("+")) ||
        fresh.some(function (f) { return holders(f).indexOf(id) >= 0; });
    });
    if (extent(near).scale * NEAR >= READABLE) { fitIds(near); return; }
    // Too many to read at once: as wide as the frame, from the top of what was opened
    // (pan down for more).
    var e = extent(fresh), scale = Math.max(READABLE / NEAR, Math.min(e.wide, 1.2));
    var y = Math.min(e.centre.y, e.top + (root.clientHeight / 2 - 4) / scale);
    network.moveTo({ position: { x: e.centre.x, y: y }, scale: scale, animation: false });
  }
  function fitIds(ids) {
    var e = extent(ids);
    if (e.scale) network.moveTo({ position: e.centre, scale: e.scale, animation: false });
  }
  function extent(list) {
    var ids = list.filter(function (id) { return sizes.has(id) && nodes.get(id); });
    if (!ids.length) return { scale: 0 };
    var span = { left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity };
    ids.forEach(function (id) {
      var b = box(id, network.getPosition(id));
      span.left = Math.min(span.left, b.left); span.right = Math.max(span.right, b.right);
      span.top = Math.min(span.top, b.top); span.bottom = Math.max(span.bottom, b.bottom);
    });
    var scale = Math.min((root.clientWidth - 8) / Math.max(span.right - span.left, 1),
                         (root.clientHeight - 8) / Math.max(span.bottom - span.top, 1), 1.5);
    return { scale: scale, top: span.top, wide: (root.clientWidth - 8) / Math.max(span.right - span.left, 1),
             centre: { x: (span.left + span.right) / 2, y: (span.top + span.bottom) / 2 } };
  }

  // ---- the controls --------------------------------------------------------------------
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function $(id) { return document.getElementById(id); }
  function step(s) {
    state.steps.push(s);
    render(false);
  }
  function status() {
    var out = $("pg-status");
    if (!out) return;
    var hidden = 0;
    current.aggs.forEach(function (a) { hidden += a.members.length; });
    out.textContent = say("showing", { shown: current.shown.size, all: D.nodes.length }) +
      (current.aggs.size ? say(current.aggs.size === 1 ? "in-group" : "in-groups",
                               { n: hidden, g: current.aggs.size }) : "") +
      (state.asOf ? say("valid-on", { d: dateText(state.asOf) }) : "") + say("end");
  }
  function controls() {
    var date = $("pg-asof");
    if (date && date.value !== state.asOf) date.value = /^\d{4}-\d{2}-\d{2}$/.test(state.asOf) ? state.asOf : "";
    var written = $("pg-asof-text");
    if (written) written.textContent = dateText(state.asOf);
    document.querySelectorAll("#pg-filters input[data-group]").forEach(function (box) {
      box.checked = state.hide.indexOf(box.dataset.group) < 0;
    });
    document.querySelectorAll("#pg-filters input[data-relation]").forEach(function (box) {
      box.checked = state.hideRel.indexOf(box.dataset.relation) < 0;
    });
  }
  function buildFilters() {
    var groups = $("pg-filter-groups"), rels = $("pg-filter-relations");
    var present = new Set(D.nodes.map(function (n) { return n.pgGroup || "other"; }));
    Array.from(present).sort(function (a, b) { return rank(a) - rank(b); }).forEach(function (g) {
      var label = el("label");
      var box = el("input", { type: "checkbox", "data-group": g });
      box.checked = true;
      label.append(box, " " + ((D.groups[g] || { label: g }).label));
      groups.append(label);
    });
    Object.keys(D.relations).sort(function (a, b) { return order(a) - order(b); }).forEach(function (r) {
      var label = el("label");
      var box = el("input", { type: "checkbox", "data-relation": r });
      box.checked = true;
      label.append(box, " " + words(r));
      rels.append(label);
    });
    $("pg-filters").addEventListener("change", function (ev) {
      var box = ev.target;
      var list = box.dataset.group ? state.hide : state.hideRel;
      var key = box.dataset.group || box.dataset.relation;
      var at = list.indexOf(key);
      if (box.checked && at >= 0) list.splice(at, 1);
      if (!box.checked && at < 0) list.push(key);
      render(false);
    });
  }
  function buildSearch() {
    var names = $("pg-names");
    var seen = new Set();
    D.nodes.forEach(function (n) {
      [n.label].concat(Object.values(n.pgNames || {})).forEach(function (name) {
        if (name && !seen.has(name)) { seen.add(name); names.append(el("option", { value: name })); }
      });
    });
    $("pg-find").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var q = $("pg-query").value.trim().toLowerCase();
      var out = $("pg-find-result");
      if (!q) return;
      function names(n) { return [n.label, n.id].concat(Object.values(n.pgNames || {})); }
      var hit = D.nodes.find(function (n) {
        return names(n).some(function (s) { return s && s.toLowerCase() === q; });
      }) || D.nodes.find(function (n) {
        return names(n).some(function (s) { return s && s.toLowerCase().indexOf(q) >= 0; });
      });
      if (!hit) { out.textContent = say("not-found", { q: $("pg-query").value }); return; }
      out.textContent = "";
      if (!current.shown.has(hit.id)) state.steps.push("f:" + hit.id);
      state.sel = hit.id;
      render(false);
      network.selectNodes([hit.id]);
      network.focus(hit.id, { scale: Math.max(network.getScale(), 1), animation: false });
    });
  }
  function download(name, url) {
    var a = el("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
  }
  function buildButtons() {
    $("pg-controls").addEventListener("click", function (ev) {
      var shown = body.classList.toggle("show-controls");
      ev.target.setAttribute("aria-expanded", String(shown));
    });
    $("pg-fit").addEventListener("click", fitAll);
    $("pg-zoom-in").addEventListener("click", function () {
      network.moveTo({ scale: network.getScale() * 1.3, animation: false });
    });
    $("pg-zoom-out").addEventListener("click", function () {
      network.moveTo({ scale: network.getScale() / 1.3, animation: false });
    });
    $("pg-reset").addEventListener("click", function () {
      state = emptyState();
      pos.clear();
      render(true);
      fitAll();
    });
    $("pg-asof").addEventListener("change", function (ev) {
      state.asOf = ev.target.value || "";
      render(false);
    });
    $("pg-asof-clear").addEventListener("click", function () {
      state.asOf = "";
      render(false);
    });
    $("pg-png").addEventListener("click", function () {
      download(D.name + ".png", root.querySelector("canvas").toDataURL("image/png"));
    });
    $("pg-json").addEventListener("click", function () {
      var shown = nodes.get().map(function (n) {
        return n.pgAggregate
          ? { id: n.id, aggregate: true, group: n.pgGroup, count: n.pgCount, x: n.x, y: n.y }
          : { id: n.id, label: all[n.id].label, class: n.pgType, x: n.x, y: n.y };
      });
      var links = edges.get().map(function (e) {
        return { from: e.from, to: e.to, relation: e.relation, count: e.pgBundle || 1 };
      });
      var text = JSON.stringify({ view: D.name, permalink: $("permalink") ? $("permalink").textContent : D.permalink + "#" + hash(),
                                  nodes: shown, edges: links }, null, 2);
      download(D.name + ".json", "data:application/json;charset=utf-8," + encodeURIComponent(text));
    });
  }

  // ---- the side panel ------------------------------------------------------------------
  function termText(t) {
    var when = t[1] && t[2] ? say("from-to", { a: t[1], b: t[2] }) : t[1] ? say("since", { x: t[1] })
      : t[2] ? say("until", { x: t[2] }) : "";
    function term(w) { return D.terms[w] || w.toLowerCase(); }
    return [term(t[0]), when, t[3] !== "Active" ? term(t[3]) : ""].filter(Boolean).join(", ");
  }
  function panel() {
    var box = $("pg-panel");
    if (!box) return;
    var id = state.sel;
    box.replaceChildren();
    if (!id || !all[id]) {
      box.append(el("p", { class: "hint" }, say("hint")));
      return;
    }
    var n = all[id];
    box.append(el("h2", {}, n.label));
    var names = el("dl", { class: "names" });
    [["English", "en"], ["日本語", "ja"], ["한국어", "ko"]].forEach(function (pair) {
      var value = (n.pgNames || {})[pair[1]];
      names.append(el("dt", {}, pair[0]), el("dd", { lang: pair[1] }, value || "—"));
    });
    var kind = (D.groups[groupOf(id)] || {}).label;
    names.append(el("dt", {}, say("class")), el("dd", {}, D.lang === "en" || !kind ? n.pgType || kind
                                                          : kind + (n.pgType ? " (" + n.pgType + ")" : "")));
    box.append(names);
    var actions = el("p", { class: "actions" });
    var isOpen = current.expanded.has(id);
    var toggle = el("button", { type: "button", id: "pg-toggle" },
      say(isOpen ? "close-neighbours" : "open-neighbours"));
    toggle.addEventListener("click", function () { step((isOpen ? "c:" : "e:") + id); });
    var page = el("a", { href: D.entityBase + encodeURIComponent(id), target: "_top", id: "pg-page" },
      say("its-page"));
    actions.append(toggle, " ", page);
    var from = (current.shown.get(id) || {}).from;
    if (from) {  // opened from a group: fold it back
      var fold = el("button", { type: "button", id: "pg-fold" }, say("fold"));
      fold.addEventListener("click", function () { state.sel = ""; step("k:" + from); });
      actions.append(" ", fold);
    }
    box.append(actions);
    var rels = (adj[id] || []).map(function (i) { return D.edges[i]; })
      .sort(function (a, b) { return order(a.relation) - order(b.relation); });
    if (rels.length) {
      box.append(el("h3", {}, say("relations-n", { n: rels.length })));
      var ul = el("ul", { class: "relations" });
      rels.slice(0, 25).forEach(function (e) {
        var other = e.from === id ? e.to : e.from;
        var text = (e.from === id ? words(e.relation) + " → " : "← " + words(e.relation) + " ") + all[other].label;
        var li = el("li", {}, text);
        (e.pgTerms || []).forEach(function (t) { li.append(el("span", { class: "term" }, " (" + termText(t) + ")")); });
        if (!edgeOk(e)) li.classList.add("hidden-now");
        ul.append(li);
      });
      if (rels.length > 25) ul.append(el("li", { class: "more" }, say("and-more", { n: rels.length - 25 })));
      box.append(ul);
    }
    var quotes = (n.pgEvidence || []).slice();
    rels.forEach(function (e) {
      if (e.pgTerms && e.pgEvidence) quotes = quotes.concat(e.pgEvidence.slice(0, 1));
    });
    if (quotes.length) {
      box.append(el("h3", {}, say("evidence")));
      var q = el("ul", { class: "evidence" });
      quotes.slice(0, 6).forEach(function (p) {
        var li = el("li");
        if (p[0]) {
          li.append(el("q", { lang: p[3] }, p[1]), " ", el("span", { class: "lines" }, lineRef(p[0], p[2])));
        } else {
          li.append(el("span", {}, say("source", { x: p[1] })));
        }
        q.append(li);
      });
      box.append(q);
    }
  }

  network.on("click", function (params) {
    var id = params.nodes[0];
    if (id === undefined) return;
    var n = nodes.get(id);
    if (n && n.pgAggregate) { step("o:" + id); return; }
    state.sel = id;
    render(false);
  });
  network.on("doubleClick", function (params) {
    var id = params.nodes[0];
    if (id === undefined || !all[id]) return;
    step((current.expanded.has(id) ? "c:" : "e:") + id);
  });
  window.addEventListener("hashchange", function () {
    if (location.hash.replace(/^#/, "") === hash()) return;
    state = readHash();
    render(false);
  });

  var narrow = body.classList.contains("embed") ? "(max-width: 1000px)" : "(max-width: 700px)";
  if (window.matchMedia && window.matchMedia(narrow).matches) {
    var legend = $("pg-legend");
    if (legend) legend.open = false;
  }
  buildFilters();
  buildSearch();
  buildButtons();
  state = readHash();
  render(true);
  fitAll();
  network.once("afterDrawing", stable);
  network.redraw();
})();
