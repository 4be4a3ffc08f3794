// Reads a small request body (form or JSON) outside oidc-provider's routes.

const LIMIT = 64 * 1024;

async function raw(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > LIMIT) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function form(req) {
  return Object.fromEntries(new URLSearchParams(await raw(req)));
}

export async function json(req) {
  const text = await raw(req);
  return text ? JSON.parse(text) : {};
}
