// Entry of the SigmaSight MCP Bundle: registers tsx's loader in this Node process (Claude
// Desktop's own Node, no npm needed), then runs mcp-server/stdio.ts as `npm run mcp` does.
import { register } from 'tsx/esm/api';

// An optional setting left empty may reach us as "" or as its unresolved placeholder: unset it.
for (const [key, value] of Object.entries(process.env)) {
  if (value === '' || /^\$\{user_config\.\w+\}$/.test(value ?? '')) delete process.env[key];
}
register();
await import('../mcp-server/stdio.ts');
