// Converse.js's full-screen footer thanks its sponsors with images and links from conversejs.org.
// This server's page loads nothing from another site, so the footer is an empty element of ours:
// Converse.js defines its own elements only where none of that name exists yet.
customElements.define("converse-footer", class extends HTMLElement {});
