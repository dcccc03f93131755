const { parse, validate, buildSchema } = require('graphql');
for (const d of [1000, 2000, 3000, 4000, 5000, 8000, 20000]) {
  const q = '{' + 'a{'.repeat(d) + 'b' + '}'.repeat(d) + '}';
  try { const doc = parse(q, { maxTokens: 100000 }); console.log(d, 'parsed', q.length); } catch (e) { console.log(d, e.constructor.name, e.message.slice(0, 80)); }
}
