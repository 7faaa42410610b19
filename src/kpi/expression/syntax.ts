/**
 * The syntax of KPI formulas: a small, safe expression language. A formula
 * is text, never code: it is tokenized and parsed into a tree that only the
 * evaluator in this folder reads.
 *
 *   expression := or
 *   or         := and ('or' and)*
 *   and        := not ('and' not)*
 *   not        := 'not' not | comparison
 *   comparison := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)?
 *   sum        := product (('+' | '-') product)*
 *   product    := unary (('*' | '/') unary)*
 *   unary      := '-' unary | primary
 *   primary    := number | name | name '(' arguments ')' | '(' expression ')'
 *
 * Names are KPI keys (snake_case); the functions are `if`, `coalesce`,
 * `min`, `max` and `abs`. Every node keeps the column (1-based) it starts
 * at, so an error can point at it.
 */

/** A formula that cannot be parsed or type-checked; `column` is 1-based. */
export class FormulaError extends Error {
  override readonly name = 'FormulaError';
  constructor(
    readonly column: number,
    readonly detail: string,
  ) {
    super(`Formula error at column ${column}: ${detail}`);
  }
}

export type BinaryOperator = '+' | '-' | '*' | '/' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';
export type FunctionName = 'if' | 'coalesce' | 'min' | 'max' | 'abs';
export const functionNames: readonly FunctionName[] = ['if', 'coalesce', 'min', 'max', 'abs'];

export type Expression =
  | { kind: 'number'; text: string; column: number }
  | { kind: 'name'; name: string; column: number }
  | { kind: 'negate'; operand: Expression; column: number }
  | { kind: 'not'; operand: Expression; column: number }
  | { kind: 'binary'; operator: BinaryOperator; left: Expression; right: Expression; column: number }
  | { kind: 'call'; name: FunctionName; args: Expression[]; column: number };

type Token =
  | { kind: 'number'; text: string; column: number }
  | { kind: 'name'; text: string; column: number }
  | { kind: 'symbol'; text: string; column: number }
  | { kind: 'end'; text: ''; column: number };

const maxFormulaLength = 2000;
const symbols = ['<=', '>=', '==', '!=', '<', '>', '+', '-', '*', '/', '(', ')', ','];

/** Splits a formula into numbers, names and symbols; rejects any other character. */
export function tokenize(text: string): Token[] {
  if (text.length > maxFormulaLength) throw new FormulaError(maxFormulaLength + 1, `a formula has at most ${maxFormulaLength} characters.`);
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    const char = text[at]!;
    const column = at + 1;
    if (/\s/.test(char)) {
      at++;
      continue;
    }
    const number = /^(\d+(\.\d+)?|\.\d+)/.exec(text.slice(at));
    if (number) {
      if (/^[A-Za-z_.]/.test(text.slice(at + number[0].length))) throw new FormulaError(column, `"${text.slice(at, at + number[0].length + 1)}" is not a number.`);
      tokens.push({ kind: 'number', text: number[0], column });
      at += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], column });
      at += name[0].length;
      continue;
    }
    const symbol = symbols.find((candidate) => text.startsWith(candidate, at));
    if (!symbol) throw new FormulaError(column, `unexpected character "${char}".`);
    tokens.push({ kind: 'symbol', text: symbol, column });
    at += symbol.length;
  }
  tokens.push({ kind: 'end', text: '', column: text.length + 1 });
  return tokens;
}

const maxDepth = 64;

/** Parses a formula into its tree; throws FormulaError pointing at the column at fault. */
export function parseFormula(text: string): Expression {
  const tokens = tokenize(text);
  let at = 0;
  let depth = 0;
  const peek = (): Token => tokens[at]!;
  const isSymbol = (symbol: string): boolean => peek().kind === 'symbol' && peek().text === symbol;
  const isWord = (word: string): boolean => peek().kind === 'name' && peek().text === word;
  const describe = (token: Token): string => (token.kind === 'end' ? 'the end of the formula' : `"${token.text}"`);
  const expect = (symbol: string, what: string): void => {
    if (!isSymbol(symbol)) throw new FormulaError(peek().column, `expected ${what}, found ${describe(peek())}.`);
    at++;
  };
  const nested = <T>(parse: () => T): T => {
    if (++depth > maxDepth) throw new FormulaError(peek().column, `a formula nests at most ${maxDepth} levels.`);
    try {
      return parse();
    } finally {
      depth--;
    }
  };

  const binaryLevel = (operators: readonly string[], next: () => Expression, words = false) => (): Expression => {
    let left = next();
    for (;;) {
      const token = peek();
      const matches = words ? token.kind === 'name' && operators.includes(token.text) : token.kind === 'symbol' && operators.includes(token.text);
      if (!matches) return left;
      at++;
      const right = next();
      left = { kind: 'binary', operator: token.text as BinaryOperator, left, right, column: token.column };
    }
  };

  const primary = (): Expression =>
    nested(() => {
      const token = peek();
      if (token.kind === 'number') {
        at++;
        return { kind: 'number', text: token.text, column: token.column };
      }
      if (isSymbol('(')) {
        at++;
        const inner = expression();
        expect(')', '")" to close the "(" at column ' + token.column);
        return inner;
      }
      if (token.kind === 'name' && !['and', 'or', 'not'].includes(token.text)) {
        at++;
        if (!isSymbol('(')) return { kind: 'name', name: token.text, column: token.column };
        if (!functionNames.includes(token.text as FunctionName)) {
          throw new FormulaError(token.column, `unknown function "${token.text}"; the functions are ${functionNames.join(', ')}.`);
        }
        at++;
        const args: Expression[] = [];
        if (!isSymbol(')')) {
          args.push(expression());
          while (isSymbol(',')) {
            at++;
            args.push(expression());
          }
        }
        expect(')', `"," or ")" in the arguments of ${token.text}`);
        return { kind: 'call', name: token.text as FunctionName, args, column: token.column };
      }
      throw new FormulaError(token.column, `expected a number, a KPI key or "(", found ${describe(token)}.`);
    });

  const unary = (): Expression => {
    const token = peek();
    if (isSymbol('-')) {
      at++;
      return nested(() => ({ kind: 'negate', operand: unary(), column: token.column }));
    }
    return primary();
  };
  const product = binaryLevel(['*', '/'], unary);
  const sum = binaryLevel(['+', '-'], product);
  const comparison = (): Expression => {
    const left = sum();
    const token = peek();
    if (token.kind !== 'symbol' || !['<', '<=', '>', '>=', '==', '!='].includes(token.text)) return left;
    at++;
    const right = sum();
    return { kind: 'binary', operator: token.text as BinaryOperator, left, right, column: token.column };
  };
  const negation = (): Expression => {
    const token = peek();
    if (isWord('not')) {
      at++;
      return nested(() => ({ kind: 'not', operand: negation(), column: token.column }));
    }
    return comparison();
  };
  const conjunction = binaryLevel(['and'], negation, true);
  const expression = binaryLevel(['or'], conjunction, true);

  if (peek().kind === 'end') throw new FormulaError(1, 'the formula is empty.');
  const tree = expression();
  if (peek().kind !== 'end') throw new FormulaError(peek().column, `unexpected ${describe(peek())}; an operator or the end was expected.`);
  return tree;
}

/** The KPI keys a formula reads, in order of first use. */
export function referencedKeys(tree: Expression): string[] {
  const keys = new Set<string>();
  const visit = (node: Expression): void => {
    if (node.kind === 'name') keys.add(node.name);
    else if (node.kind === 'negate' || node.kind === 'not') visit(node.operand);
    else if (node.kind === 'binary') {
      visit(node.left);
      visit(node.right);
    } else if (node.kind === 'call') node.args.forEach(visit);
  };
  visit(tree);
  return [...keys];
}
