/**
 * SigmaSight's icon for MCP clients (server info, tools, prompts): a small SVG — a white sigma on
 * a rounded teal square — served inline as a `data:` URI, so a client shows it without fetching
 * anything from this server.
 */
const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#0f766e"/>' +
  '<path d="M18 14h28v8H29l11 10-11 10h17v8H18v-7l12-11-12-11z" fill="#fff"/></svg>';

export const ICON_DATA_URI = `data:image/svg+xml;base64,${Buffer.from(SVG).toString('base64')}`;

/** The `icons` array of the MCP Icon schema (2025-11-25): one scalable SVG. */
export const ICONS = [{ src: ICON_DATA_URI, mimeType: 'image/svg+xml', sizes: ['any'] }];
