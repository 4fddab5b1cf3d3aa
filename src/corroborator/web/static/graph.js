// The provenance graph: elements come as JSON from /api/graph and are drawn by the vendored cytoscape.
"use strict";
document.addEventListener("DOMContentLoaded", async () => {
  const box = document.getElementById("graph");
  const status = document.getElementById("graph-status");
  if (!box || typeof cytoscape !== "function") {
    if (status) status.textContent = "The graph library did not load.";
    return;
  }
  const response = await fetch(box.dataset.src, { credentials: "same-origin" });
  if (!response.ok) {
    status.textContent = "Could not load the graph (" + response.status + ").";
    return;
  }
  const data = await response.json();
  const colours = { published: "#8a8a8a", quotes: "#4a7fb0", copying: "#c0392b" };
  const graph = cytoscape({
    container: box,
    elements: { nodes: data.nodes, edges: data.edges },
    style: [
      { selector: "node", style: { label: "data(label)", "font-size": 9, "text-wrap": "ellipsis", "text-max-width": 140 } },
      { selector: "node[type = 'source']", style: { shape: "round-rectangle", "background-color": "#2e6da4", width: 22, height: 22 } },
      { selector: "node[type = 'source'][party != '']", style: { "background-color": "#d35400" } },
      { selector: "node[type = 'report']", style: { shape: "ellipse", "background-color": "#95a5a6", width: 12, height: 12, "font-size": 7 } },
      { selector: "edge", style: { width: 1, "line-color": "#bbb", "curve-style": "bezier", "target-arrow-shape": "triangle", "target-arrow-color": "#bbb", "arrow-scale": 0.6 } },
      { selector: "edge[kind = 'quotes']", style: { "line-color": colours.quotes, "target-arrow-color": colours.quotes, "line-style": "dashed" } },
      { selector: "edge[kind != 'published'][kind != 'quotes']", style: { width: 3, "line-color": colours.copying, "target-arrow-color": colours.copying } },
      { selector: "edge.shown, edge:selected", style: { label: "data(label)", "font-size": 9, "text-background-color": "#fff", "text-background-opacity": 0.9 } },
    ],
    layout: { name: "cose", animate: false, nodeRepulsion: 20000, idealEdgeLength: 90, randomize: false },
  });
  graph.on("mouseover", "edge", (event) => event.target.addClass("shown"));
  graph.on("mouseout", "edge", (event) => event.target.removeClass("shown"));
  graph.on("tap", "node", (event) => {
    const href = event.target.data("href");
    if (typeof href === "string" && href.startsWith("/")) window.location.assign(href);
  });
  status.textContent = data.nodes.length + " nodes, " + data.edges.length + " edges" +
    (data.truncated ? " (the newest reports only; open a question's graph for all of its reports)" : "") + ".";
  box.dataset.ready = "1";
});
