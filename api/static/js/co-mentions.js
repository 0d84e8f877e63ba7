// The co-mention view: the pairs of the page's data block drawn with vis-network (labels
// drawn on the canvas as text); double-click a node to open the entity's page (if it has one).
(function () {
  "use strict";
  var holder = document.getElementById("co-graph");
  var block = document.getElementById("co-data");
  if (!holder || !block || typeof vis === "undefined") { return; }
  var graph = JSON.parse(block.textContent);
  var network = new vis.Network(holder, {
    nodes: new vis.DataSet(graph.nodes.map(function (n) { return { id: n.id, label: n.label, shape: "dot", size: 10 }; })),
    edges: new vis.DataSet(graph.edges.map(function (e) { return { from: e.from, to: e.to, value: e.value }; }))
  }, {
    physics: { stabilization: { iterations: 200 }, barnesHut: { springLength: 120 } },
    interaction: { hover: true, keyboard: { enabled: true, bindToWindow: false } },
    edges: { color: { color: "#8aa4c8" }, scaling: { min: 1, max: 8 } },
    nodes: { font: { size: 13 }, color: { background: "#dbe8f7", border: "#0b57a4" } }
  });
  var withPage = {};
  graph.nodes.forEach(function (n) { withPage[n.id] = n.page; });
  network.on("doubleClick", function (params) {
    // An entity created in a review has no page until the next build.
    if (params.nodes.length && withPage[params.nodes[0]]) {
      window.location.href = "/id/" + encodeURIComponent(params.nodes[0]);
    }
  });
  network.once("stabilized", function () { document.body.dataset.stable = "1"; });
  window.pgCoMentions = { nodes: graph.nodes.length, edges: graph.edges.length };
}());
