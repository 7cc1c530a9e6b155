/* SPDX-License-Identifier: Apache-2.0 */
/*
 * format.y — bison grammar of tracefs event `format` files.
 *
 *   file    := "name:" TEXT NL "ID:" NUMBER NL "format:" NL
 *              { field | NL }
 *              [ "print fmt:" [TEXT] ]            (TEXT runs to the end of the file)
 *   field   := "field:" decl ";" "offset:" N ";" "size:" N ";" "signed:" N ";" NL
 *   decl    := specs declarator
 *            | ("__data_loc" | "__rel_loc") specs ["*"...] ["[" "]"] IDENT
 *   specs   := { IDENT | qualifier | ("struct" | "union" | "enum") IDENT }+
 *   declarator := {"*" qualifier*} direct
 *   direct  := IDENT | "(" declarator ")" ["(" tokens ")"] | direct "[" [expr] "]"
 *
 * Type names are not known to the parser (no typedef table): the last
 * identifier before ';', '[' or ')' is the field name, the ones before it
 * are the type.  LALR(1) tells them apart by the token after the identifier.
 * Array lengths are C constant expressions, evaluated when they only involve
 * numbers (overflow and division by zero make them "unknown", never UB).
 *
 * The parser stops at the first syntax error; yyreport_syntax_error() turns
 * bison's expected-token set into a located diagnostic.  No recovery rules,
 * no global state (api.pure, the scanner is a parameter).
 */
%require "3.6"
%define api.pure full
%define api.prefix {tf_yy}
%define api.location.type {struct tf_range}
%define parse.error custom
%define parse.lac full
%locations
%expect 0

%param {void *scanner}
%parse-param {struct tf_parser *p}

%code requires {
#include "tracefs_int.h"
}

%code {
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

int tf_yylex(TF_YYSTYPE *lvalp, struct tf_range *llocp, void *scanner);
static void tf_yyerror(const struct tf_range *loc, void *scanner, struct tf_parser *p,
		       const char *msg);

/* Default location computation, carrying the byte range along. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                              \
	do {                                                                     \
		if (N) {                                                         \
			(Cur).first_line = YYRHSLOC(Rhs, 1).first_line;          \
			(Cur).first_column = YYRHSLOC(Rhs, 1).first_column;      \
			(Cur).first_byte = YYRHSLOC(Rhs, 1).first_byte;          \
			(Cur).last_line = YYRHSLOC(Rhs, N).last_line;            \
			(Cur).last_column = YYRHSLOC(Rhs, N).last_column;        \
			(Cur).last_byte = YYRHSLOC(Rhs, N).last_byte;            \
		} else {                                                         \
			(Cur).first_line = (Cur).last_line = YYRHSLOC(Rhs, 0).last_line; \
			(Cur).first_column = (Cur).last_column =                 \
				YYRHSLOC(Rhs, 0).last_column;                    \
			(Cur).first_byte = (Cur).last_byte = YYRHSLOC(Rhs, 0).last_byte; \
		}                                                                \
	} while (0)

static struct tf_val val_unknown(void)
{
	struct tf_val v = {false, false, 0};
	return v;
}

static struct tf_val val_num(const struct tf_num *n)
{
	struct tf_val v = {false, true, 0};

	if (!n->overflow && n->v <= (uint64_t)LLONG_MAX) {
		v.known = true;
		v.v = (long long)n->v;
	}
	return v;
}

/* Evaluate A OP B without undefined behaviour: anything that would
 * overflow or trap makes the result unknown. */
static struct tf_val val_binop(int op, struct tf_val a, struct tf_val b)
{
	struct tf_val r = {true, false, 0};
	long long x = a.v, y = b.v;

	if (!a.known || !b.known)
		return val_unknown();
	switch (op) {
	case '+':
		if (__builtin_add_overflow(x, y, &r.v))
			return val_unknown();
		break;
	case '-':
		if (__builtin_sub_overflow(x, y, &r.v))
			return val_unknown();
		break;
	case '*':
		if (__builtin_mul_overflow(x, y, &r.v))
			return val_unknown();
		break;
	case '/':
	case '%':
		if (y == 0 || (x == LLONG_MIN && y == -1))
			return val_unknown();
		r.v = op == '/' ? x / y : x % y;
		break;
	case T_SHL:
		if (x < 0 || y < 0 || y > 62 || x > (LLONG_MAX >> y))
			return val_unknown();
		r.v = x << y;
		break;
	case T_SHR:
		if (x < 0 || y < 0 || y > 62)
			return val_unknown();
		r.v = x >> y;
		break;
	case '<': r.v = x < y; break;
	case '>': r.v = x > y; break;
	case T_LE: r.v = x <= y; break;
	case T_GE: r.v = x >= y; break;
	case T_EQ: r.v = x == y; break;
	case T_NE: r.v = x != y; break;
	case '&': r.v = x & y; break;
	case '^': r.v = x ^ y; break;
	case '|': r.v = x | y; break;
	case T_ANDAND: r.v = x && y; break;
	case T_OROR: r.v = x || y; break;
	default:
		return val_unknown();
	}
	return r;
}

static struct tf_val val_unop(int op, struct tf_val a)
{
	struct tf_val r = {a.known, false, 0};

	if (!a.known)
		return val_unknown();
	switch (op) {
	case '-':
		if (a.v == LLONG_MIN)
			return val_unknown();
		r.v = -a.v;
		break;
	case '+': r.v = a.v; break;
	case '~': r.v = ~a.v; break;
	case '!': r.v = !a.v; break;
	default:
		return val_unknown();
	}
	return r;
}

static struct tf_decl decl_named(const struct tf_range *name)
{
	struct tf_decl d;

	memset(&d, 0, sizeof(d));
	d.name_b = name->first_byte;
	d.name_e = name->last_byte;
	d.name_loc = *name;
	d.array_len = -1;
	return d;
}

/* D gets one more array dimension "[LEN]" spanning bytes [B, E). */
static void decl_add_dim(struct tf_parser *p, struct tf_decl *d, const struct tf_range *open,
			 const struct tf_range *close, const struct tf_range *len_loc,
			 const struct tf_val *len, bool empty)
{
	long n;

	if (empty) {
		n = 0;
	} else if (!len->known) {
		n = 0;
	} else if (len->v < 0) {
		diag_error(p->dc, tf_loc(p, len_loc), "negative array length %lld", len->v);
		p->errors++;
		n = 0;
	} else {
		n = len->v > LONG_MAX ? 0 : (long)len->v;
	}
	if (d->dims == 0) {
		d->arr_b = open->first_byte;
		d->arr_e = close->last_byte;
		d->expr_b = open->last_byte;
		d->expr_e = close->first_byte;
		d->expr_plain = empty || len->plain;
		d->array_len = n;
	} else {
		/* a[2][4]: 8 elements; the expression text spans all brackets */
		long prod;

		d->arr_e = close->last_byte;
		d->expr_b = d->arr_b;
		d->expr_e = d->arr_e;
		d->expr_plain = false;
		if (d->array_len > 0 && n > 0 && !__builtin_mul_overflow(d->array_len, n, &prod))
			d->array_len = prod;
		else
			d->array_len = 0;
	}
	d->dims++;
}

static void decl_loc_kw(struct tf_decl *d, int kw, const struct tf_range *r)
{
	d->kw_b = r->first_byte;
	d->kw_e = r->last_byte;
	d->data_loc = kw == 1;
	d->rel_loc = kw == 2;
}
}

%union {
	struct tf_num num;
	struct tf_val val;
	struct tf_decl decl;
	unsigned count;
	int kw;
}

%token T_NAME "'name:'"
%token T_ID "'ID:'"
%token T_FORMAT "'format:'"
%token T_FIELD "'field:'"
%token T_PRINT "'print fmt:'"
%token T_OFFSET "'offset:'"
%token T_SIZE "'size:'"
%token T_SIGNED "'signed:'"
%token T_NL "end of line"
%token T_TEXT "text"
%token <num> T_NUMBER "number"
%token T_WORD "word"
%token T_IDENT "identifier"
%token T_DATA_LOC "'__data_loc'"
%token T_REL_LOC "'__rel_loc'"
%token T_QUAL "type qualifier"
%token T_TAG "'struct', 'union' or 'enum'"
%token T_SIZEOF "'sizeof'"
%token T_ELLIPSIS "'...'"
%token T_SHL "'<<'"
%token T_SHR "'>>'"
%token T_LE "'<='"
%token T_GE "'>='"
%token T_EQ "'=='"
%token T_NE "'!='"
%token T_ANDAND "'&&'"
%token T_OROR "'||'"
%token T_BAD "invalid character"

%right '?' ':'
%left T_OROR
%left T_ANDAND
%left '|'
%left '^'
%left '&'
%left T_EQ T_NE
%left '<' '>' T_LE T_GE
%left T_SHL T_SHR
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY

%type <decl> decl declarator direct
%type <val> expr
%type <count> ptrs
%type <kw> loc_kw

%initial-action {
	@$.first_line = @$.last_line = 1;
	@$.first_column = @$.last_column = 1;
	@$.first_byte = @$.last_byte = 0;
}

%%

file:
	header fields print_opt
	;

header:
	name_line id_line format_line
	;

name_line:
	T_NAME T_TEXT T_NL	{ tf_set_name(p, &@2); }
	| T_NAME T_NL		{
		diag_error(p->dc, tf_loc(p, &@2), "expected the event name after 'name:'");
		p->errors++;
	}
	;

id_line:
	T_ID T_NUMBER T_NL	{ tf_set_id(p, &$2, &@2); }
	;

format_line:
	T_FORMAT T_NL
	;

fields:
	%empty
	| fields field
	| fields T_NL
	;

field:
	T_FIELD decl ';' T_OFFSET T_NUMBER ';' T_SIZE T_NUMBER ';' T_SIGNED T_NUMBER ';' T_NL
		{ tf_add_field(p, &$2, &@2, &$5, &@5, &$8, &@8, &$11, &@11); }
	;

print_opt:
	%empty
	| T_PRINT		{ tf_set_print_fmt(p, NULL); }
	| T_PRINT T_TEXT	{ tf_set_print_fmt(p, &@2); }
	;

/* ---- C declarations ---------------------------------------------------- */

decl:
	specs declarator	{ $$ = $2; }
	| loc_kw specs T_IDENT	{ $$ = decl_named(&@3); decl_loc_kw(&$$, $1, &@1); }
	| loc_kw specs ptrs T_IDENT {
		$$ = decl_named(&@4);
		decl_loc_kw(&$$, $1, &@1);
		$$.pointer = $3;
	}
	| loc_kw specs '[' ']' T_IDENT {
		$$ = decl_named(&@5);
		decl_loc_kw(&$$, $1, &@1);
		decl_add_dim(p, &$$, &@3, &@4, &@3, NULL, true);
	}
	| loc_kw specs ptrs '[' ']' T_IDENT {
		$$ = decl_named(&@6);
		decl_loc_kw(&$$, $1, &@1);
		$$.pointer = $3;
		decl_add_dim(p, &$$, &@4, &@5, &@4, NULL, true);
	}
	;

loc_kw:
	T_DATA_LOC	{ $$ = 1; }
	| T_REL_LOC	{ $$ = 2; }
	;

specs:
	spec
	| specs spec
	;

spec:
	T_IDENT
	| T_QUAL
	| T_TAG T_IDENT
	;

ptrs:
	'*'		{ $$ = 1; }
	| ptrs '*'	{ $$ = $1 + 1; }
	| ptrs T_QUAL	{ $$ = $1; }
	;

declarator:
	direct
	| ptrs direct	{ $$ = $2; $$.pointer += $1; }
	;

direct:
	T_IDENT				{ $$ = decl_named(&@1); }
	| '(' declarator ')'		{ $$ = $2; }
	| '(' declarator ')' '(' params ')'	{ $$ = $2; }
	| direct '[' ']'	{
		$$ = $1;
		decl_add_dim(p, &$$, &@2, &@3, &@2, NULL, true);
	}
	| direct '[' expr ']'	{
		$$ = $1;
		decl_add_dim(p, &$$, &@2, &@4, &@3, &$3, false);
	}
	;

/* Parameter lists of function pointers: kept as written, not analysed. */
params:
	%empty
	| params ptok
	| params '(' params ')'
	;

ptok:
	T_IDENT | T_QUAL | T_TAG | T_NUMBER | T_ELLIPSIS | '*' | ',' | '[' | ']'
	;

/* ---- constant expressions (array lengths) ------------------------------ */

expr:
	T_NUMBER		{ $$ = val_num(&$1); }
	| T_IDENT		{ $$ = val_unknown(); }
	| T_SIZEOF '(' type_name ')'	{ $$ = val_unknown(); }
	| '(' expr ')'		{ $$ = $2; $$.plain = false; }
	| expr '+' expr		{ $$ = val_binop('+', $1, $3); }
	| expr '-' expr		{ $$ = val_binop('-', $1, $3); }
	| expr '*' expr		{ $$ = val_binop('*', $1, $3); }
	| expr '/' expr		{ $$ = val_binop('/', $1, $3); }
	| expr '%' expr		{ $$ = val_binop('%', $1, $3); }
	| expr T_SHL expr	{ $$ = val_binop(T_SHL, $1, $3); }
	| expr T_SHR expr	{ $$ = val_binop(T_SHR, $1, $3); }
	| expr '<' expr		{ $$ = val_binop('<', $1, $3); }
	| expr '>' expr		{ $$ = val_binop('>', $1, $3); }
	| expr T_LE expr	{ $$ = val_binop(T_LE, $1, $3); }
	| expr T_GE expr	{ $$ = val_binop(T_GE, $1, $3); }
	| expr T_EQ expr	{ $$ = val_binop(T_EQ, $1, $3); }
	| expr T_NE expr	{ $$ = val_binop(T_NE, $1, $3); }
	| expr '&' expr		{ $$ = val_binop('&', $1, $3); }
	| expr '^' expr		{ $$ = val_binop('^', $1, $3); }
	| expr '|' expr		{ $$ = val_binop('|', $1, $3); }
	| expr T_ANDAND expr	{ $$ = val_binop(T_ANDAND, $1, $3); }
	| expr T_OROR expr	{ $$ = val_binop(T_OROR, $1, $3); }
	| expr '?' expr ':' expr {
		if (!$1.known)
			$$ = val_unknown();
		else
			$$ = $1.v ? $3 : $5;
		$$.plain = false;
	}
	| '-' expr %prec UNARY	{ $$ = val_unop('-', $2); }
	| '+' expr %prec UNARY	{ $$ = val_unop('+', $2); }
	| '~' expr %prec UNARY	{ $$ = val_unop('~', $2); }
	| '!' expr %prec UNARY	{ $$ = val_unop('!', $2); }
	;

type_name:
	specs
	| specs ptrs
	;

%%

static bool expects(const yysymbol_kind_t *exp, int n, yysymbol_kind_t k)
{
	for (int i = 0; i < n; i++)
		if (exp[i] == k)
			return true;
	return false;
}

/*
 * Report the first syntax error: say what was expected in the words of the
 * format (which line or attribute), then what was found.
 */
static int yyreport_syntax_error(const yypcontext_t *ctx, void *scanner, struct tf_parser *p)
{
	yysymbol_kind_t exp[YYNTOKENS];
	yysymbol_kind_t tok = yypcontext_token(ctx);
	const struct tf_range *r = yypcontext_location(ctx);
	int n = yypcontext_expected_tokens(ctx, exp, YYNTOKENS);
	char *got = tf_token_text(p, r, tok == YYSYMBOL_YYEOF);
	const char *what = NULL;
	struct array msg = {0};

	if (n < 0)
		n = 0;
	if (expects(exp, n, YYSYMBOL_T_NAME))
		what = "expected 'name:' at the start of the format file";
	else if (expects(exp, n, YYSYMBOL_T_ID))
		what = "expected 'ID:' after the 'name:' line";
	else if (expects(exp, n, YYSYMBOL_T_FORMAT))
		what = "expected 'format:' after the 'ID:' line";
	else if (expects(exp, n, YYSYMBOL_T_OFFSET))
		what = "expected 'offset:' after the field declaration";
	else if (expects(exp, n, YYSYMBOL_T_SIZE))
		what = "expected 'size:' after the offset";
	else if (expects(exp, n, YYSYMBOL_T_SIGNED))
		what = "expected 'signed:' after the size";
	else if (expects(exp, n, YYSYMBOL_T_FIELD))
		what = "expected a 'field:' line, a blank line or 'print fmt:'";
	else if (expects(exp, n, YYSYMBOL_T_DATA_LOC))
		what = "expected a C declaration after 'field:'";
	else if (p->in_decl && expects(exp, n, YYSYMBOL_T_SIZEOF))
		what = expects(exp, n, YYTRANSLATE(']')) ? "expected an array length or ']'"
							  : "expected an array length expression";
	else if (p->in_decl && expects(exp, n, YYTRANSLATE(';')))
		what = "expected ';' after the field declaration";
	else if (p->in_decl && expects(exp, n, YYTRANSLATE(')')))
		what = "expected ')'";
	else if (p->in_decl && expects(exp, n, YYTRANSLATE(']')))
		what = "expected ']' after the array length";
	else if (p->in_decl && expects(exp, n, YYSYMBOL_T_TAG) &&
		 !expects(exp, n, YYTRANSLATE('*')))
		what = "expected a type name";
	else if (p->in_decl && expects(exp, n, YYSYMBOL_T_IDENT))
		what = "expected the field name";
	else if (n == 1 && exp[0] == YYSYMBOL_T_NUMBER)
		what = "expected a number";
	else if (n == 1 && exp[0] == YYSYMBOL_T_NL)
		what = "expected the end of the line";

	if (what) {
		diag_error(p->dc, tf_loc(p, r), "%s, got %s", what, got);
	} else {
		/* "expected A, B or C in the field declaration, got ..." */
		for (int i = 0; i < n && i < 6; i++) {
			const char *name = yysymbol_name(exp[i]);
			const char *sep = ", ";
			size_t l1, l2 = strlen(name);

			if (i == 0)
				sep = "expected ";
			else if (i + 1 == n)
				sep = " or ";
			l1 = strlen(sep);
			memcpy(array_add(&msg, l1), sep, l1);
			memcpy(array_add(&msg, l2), name, l2);
		}
		if (n > 6) {
			const char *more = " or another token";

			memcpy(array_add(&msg, strlen(more)), more, strlen(more));
		}
		*(char *)array_add(&msg, 1) = 0;
		if (n == 0)
			diag_error(p->dc, tf_loc(p, r), "unexpected %s", got);
		else
			diag_error(p->dc, tf_loc(p, r), "%s%s, got %s", (char *)msg.val,
				   p->in_decl ? " in the field declaration" : "", got);
		array_free(&msg);
	}
	p->errors++;
	free(got);
	(void)scanner;
	return 0;
}

/* Only reached for "memory exhausted" (nesting deeper than YYMAXDEPTH). */
static void tf_yyerror(const struct tf_range *loc, void *scanner, struct tf_parser *p,
		       const char *msg)
{
	diag_error(p->dc, tf_loc(p, loc), "declaration nested too deeply (%s)", msg);
	p->errors++;
	(void)scanner;
}
