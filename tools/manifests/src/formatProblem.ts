import type { Problem } from './Problem';

/** One line per problem: `target: resource: path: message [code]` (the parts that apply). */
export function formatProblem(p: Problem): string {
  const where = [p.target, p.resource, p.path].filter((s): s is string => typeof s === 'string' && s !== '');
  return `${where.join(': ')}: ${p.message.replace(/\s*\n\s*/g, ' ')} [${p.code}]`;
}
