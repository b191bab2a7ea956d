// cytoscape-svg ships no types; it is a plain cytoscape extension registered with cy.use().
declare module 'cytoscape-svg' {
  import type cytoscape from 'cytoscape';
  const ext: cytoscape.Ext;
  export default ext;
}
