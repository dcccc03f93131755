const { getIntrospectionQuery, Lexer, Source, TokenKind } = require('graphql');
function count(q) { const l = new Lexer(new Source(q)); let n = 0, depth = 0, max = 0; for (let t = l.advance(); t.kind !== TokenKind.EOF; t = l.advance()) { n++; if ('{[('.includes(t.kind)) max = Math.max(max, ++depth); else if ('}])'.includes(t.kind)) depth--; } return [n, max]; }
console.log('introspection', count(getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true })));
const q = '{' + '['.repeat(5000) ; 
const { parse } = require('graphql');
for (const d of [1000, 3000, 5000, 10000]) { try { parse('{ a(x: ' + '['.repeat(d) + ']'.repeat(d) + ') }', { maxTokens: 100000 }); console.log('list', d, 'ok'); } catch (e) { console.log('list', d, e.message.slice(0, 60)); } }
