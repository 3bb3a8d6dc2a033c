// What the absent headers would have declared, guessed from how a C text uses its names, for the names that
// change how C parses. C cannot be parsed without knowing which names are types and which are macros:
// `(u32 *)p` is a cast only if u32 is a type, `static int __init f(void)` parses only if __init is a macro
// that expands to nothing, `MODULE_LICENSE("GPL");` at file scope only if it is a macro. Kernel files (and
// the models trained on them) use such names everywhere, and their headers are not there; without guesses
// most real kernel files fail to parse. Each guess follows from a use that valid C allows in one reading only:
//   a type:                   a name ending in _t; `( NAME * )` or `( NAME )` before an operand (a cast)
//   a declaration macro:      `NAME(...);` starting a line at file scope (optionally after `static`)
//   a loop macro (for):       `NAME(...)` starting a line inside a block, followed by `{` or a statement on a later line
//   a macro that takes types: `NAME(` in an expression with a type keyword starting an argument (container_of(p, struct s, m))
//   an attribute macro:       a name between a type keyword or declarator and the next declarator
//                             (`void __init f`, `x __initdata =`), or a name before a type keyword on its line
// The result is a prelude of typedefs and #defines placed before the text. It never removes a token of the
// text, so an error the text itself makes stays an error; it does not declare functions or variables
// (their absence is a semantic error, which scoring does not count anyway).
using System.Text;

namespace CharRnnCode.Scoring;

internal static class CHeaderGuesses
{
    private static readonly HashSet<string> TypeKeywords = new(StringComparer.Ordinal)
    {
        "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "struct", "union", "enum",
        "static", "inline", "extern", "register", "_Bool", "const", "volatile",
    };

    // Keywords after which a name is a value (`return __x;`), not a declarator or an attribute.
    private static readonly HashSet<string> ValueKeywords = new(StringComparer.Ordinal) { "return", "case", "goto", "sizeof", "else", "do" };

    private static readonly HashSet<string> StatementKeywords = new(StringComparer.Ordinal) { "if", "while", "for", "switch" };

    // Type keywords that may follow a typedef name in valid C (`u32 const *p`), so they do not mark an attribute.
    private static readonly HashSet<string> Qualifiers = new(StringComparer.Ordinal) { "const", "volatile" };

    private enum Guess { Attribute, TakesTypes, DeclarationMacro, LoopMacro, Type }

    private enum Scope { File, Block, Aggregate, Initializer }

    /// <summary>The prelude for <paramref name="tokens"/> (the text's tokens outside preprocessor directives) and
    /// <paramref name="macroBodies"/> (the tokens of its #define bodies, read for types and type-taking macros only).</summary>
    public static string Prelude(string text, IReadOnlyList<CodeToken> tokens, IReadOnlyList<CodeToken>? macroBodies = null)
    {
        var guesses = new Dictionary<string, Guess>(StringComparer.Ordinal);
        void Add(string name, Guess guess)
        {
            // One guess per name: the strongest use decides (a type outranks a macro, a macro an attribute).
            if (!guesses.TryGetValue(name, out var known) || guess > known) guesses[name] = guess;
        }

        // Not a BracketDepth: each open brace carries what it opened (a block, a struct body, an initializer).
        var scopes = new Stack<Scope>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var scope = scopes.Count == 0 ? Scope.File : scopes.Peek();
            var previous = i > 0 ? tokens[i - 1] : default;
            if (token.Kind == CodeTokenKind.Punctuation)
            {
                if (token.Text == "{") scopes.Push(ScopeOpenedAt(tokens, i, scope));
                else if (token.Text == "}" && scopes.Count > 0) scopes.Pop();
                continue;
            }
            if (token.Kind != CodeTokenKind.Identifier) continue;
            var name = token.Text;
            var next = i + 1 < tokens.Count ? tokens[i + 1] : default;

            if (IsType(tokens, i) || IsDeclaredType(tokens, i)) Add(name, Guess.Type);
            else if (Is(next, "("))
            {
                var close = MatchingParenthesis(tokens, i + 1);
                if (close >= tokens.Count) continue;
                var after = close + 1 < tokens.Count ? tokens[close + 1] : default;
                var startsLine = StartsLine(text, token);
                var startsDeclaration = startsLine || previous.Text == "static" && StartsLine(text, previous);
                var nextLineFollows = close + 1 >= tokens.Count || LineBreakBetween(text, tokens[close], after) && !Is(after, "{") && !Is(after, ";");
                if (scope is Scope.File or Scope.Aggregate && startsDeclaration && (Is(after, ";") || nextLineFollows && after.Kind != CodeTokenKind.Punctuation)
                    || scope == Scope.Initializer && startsLine && nextLineFollows && !Is(after, ",") && !Is(after, "}")
                    || scope == Scope.File && Is(previous, ")") && Is(after, "{"))
                    Add(name, Guess.DeclarationMacro);
                else if (scope == Scope.Block && startsLine
                    && (Is(after, "{") || after.Kind is CodeTokenKind.Identifier or CodeTokenKind.Keyword && LineBreakBetween(text, tokens[close], after)))
                    Add(name, Guess.LoopMacro);
                else if (InExpression(previous, scope) && TakesTypes(tokens, i + 1, close)) Add(name, Guess.TakesTypes);
            }
            else if (IsAttribute(text, previous, token, next)) Add(name, Guess.Attribute);
        }

        // Macro bodies are expanded where they are used: a cast or a type argument in one is a cast or a type argument in the code.
        var bodies = macroBodies ?? [];
        for (var i = 0; i < bodies.Count; i++)
        {
            if (bodies[i].Kind != CodeTokenKind.Identifier) continue;
            if (IsType(bodies, i)) Add(bodies[i].Text, Guess.Type);
            else if (i + 1 < bodies.Count && Is(bodies[i + 1], "(") && (i == 0 || InExpression(bodies[i - 1], Scope.Block))
                && TakesTypes(bodies, i + 1, MatchingParenthesis(bodies, i + 1)))
                Add(bodies[i].Text, Guess.TakesTypes);
        }

        if (guesses.Count == 0) return "";
        var prelude = new StringBuilder();
        foreach (var (name, guess) in guesses.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            prelude.Append(guess switch
            {
                Guess.Type => $"typedef int {name};\n",
                Guess.LoopMacro => $"#define {name}(...) for (;;)\n",
                Guess.DeclarationMacro => $"#define {name}(...)\n",
                Guess.TakesTypes => $"#define {name}(...) 0\n",
                _ => $"#define {name}\n",
            });
        return prelude.ToString();
    }

    private static bool IsType(IReadOnlyList<CodeToken> tokens, int i)
    {
        var name = tokens[i].Text;
        if (name.Length > 2 && name.EndsWith("_t", StringComparison.Ordinal)) return true;
        if (i == 0 || !Is(tokens[i - 1], "(")) return false;
        var j = i + 1;
        while (j < tokens.Count && Is(tokens[j], "*")) j++;
        if (j > i + 1) return j < tokens.Count && Is(tokens[j], ")");
        // `( NAME ) operand` is a cast unless the parenthesis belongs to a call or a statement (`if (ready) x = 1;`).
        if (j >= tokens.Count - 1 || !Is(tokens[j], ")")) return false;
        var operand = tokens[j + 1];
        var beforeParenthesis = i >= 2 ? tokens[i - 2] : default;
        return (operand.Kind is CodeTokenKind.Identifier or CodeTokenKind.Literal || Is(operand, "("))
            && beforeParenthesis.Kind != CodeTokenKind.Identifier && !Is(beforeParenthesis, ")") && !Is(beforeParenthesis, "]")
            && !(beforeParenthesis.Kind == CodeTokenKind.Keyword && StatementKeywords.Contains(beforeParenthesis.Text));
    }

    private static bool IsAttribute(string text, CodeToken previous, CodeToken token, CodeToken next)
    {
        // `noinline int f(void)`: a name before a type keyword on its own line (a qualifier may follow a typedef name).
        if (next.Kind == CodeTokenKind.Keyword && TypeKeywords.Contains(next.Text) && !Qualifiers.Contains(next.Text) && !LineBreakBetween(text, token, next))
            return true;
        // Reserved names (a leading double underscore and a lower-case letter) between declaration parts.
        if (token.Text.Length < 3 || !token.Text.StartsWith("__", StringComparison.Ordinal) || !char.IsLower(token.Text[2])) return false;
        var afterDeclarationPart = previous.Kind == CodeTokenKind.Identifier
            || previous.Kind == CodeTokenKind.Keyword && !ValueKeywords.Contains(previous.Text) || Is(previous, "]");
        if (!afterDeclarationPart) return false;
        if (next.Kind is CodeTokenKind.Identifier or CodeTokenKind.Keyword || Is(next, "*")) return true;
        // `int __x = 1;` declares __x; `x __initdata = 1;` and `a[] __initdata = {` annotate the declarator before.
        return (previous.Kind == CodeTokenKind.Identifier || Is(previous, "]")) && next.Text is "=" or ";" or "," or "{";
    }

    /// <summary>After this token a name is in an expression or starts a statement, not a declarator (`int f(`, `*f(`,
    /// a function at file scope after the `}` of the one before).</summary>
    private static bool InExpression(CodeToken previous, Scope scope) =>
        previous.Kind == CodeTokenKind.Punctuation && previous.Text != "*" && !(scope is Scope.File or Scope.Aggregate && previous.Text is ";" or "{" or "}")
        || previous.Kind == CodeTokenKind.Keyword && ValueKeywords.Contains(previous.Text);

    /// <summary>What the `{` at <paramref name="open"/> opens: a struct or union body, an initializer (after `=`,
    /// or nested in one), or a block.</summary>
    private static Scope ScopeOpenedAt(IReadOnlyList<CodeToken> tokens, int open, Scope outer)
    {
        var previous = open > 0 ? tokens[open - 1] : default;
        var beforePrevious = open > 1 ? tokens[open - 2] : default;
        if (Is(previous, "=") || outer == Scope.Initializer && (Is(previous, ",") || Is(previous, "{"))) return Scope.Initializer;
        if (previous.Text is "struct" or "union" || beforePrevious.Text is "struct" or "union" && previous.Kind == CodeTokenKind.Identifier)
            return Scope.Aggregate;
        if (previous.Text == "enum" || beforePrevious.Text == "enum") return Scope.Initializer;
        return Scope.Block;
    }

    /// <summary>`NAME name;`, `NAME name =`, `NAME name[` (two names in a row where a declaration starts), or
    /// `NAME *name;` starting a statement: NAME is a type.</summary>
    private static bool IsDeclaredType(IReadOnlyList<CodeToken> tokens, int i)
    {
        var previous = i > 0 ? tokens[i - 1] : default;
        var startsDeclaration = i == 0 || previous.Text is ";" or "{" or "}" or "const" or "volatile" or "static" or "extern" or "register" or "inline";
        var j = i + 1;
        while (j < tokens.Count && Is(tokens[j], "*")) j++;
        var pointer = j > i + 1;
        if (j + 1 >= tokens.Count || tokens[j].Kind != CodeTokenKind.Identifier) return false;
        var after = tokens[j + 1];
        if (!(after.Kind == CodeTokenKind.Punctuation && after.Text is ";" or "=" or "," or "[" or ")" or ":")) return false;
        return startsDeclaration || !pointer && previous.Text is "(" or ",";
    }

    /// <summary>A type keyword starts one of the call's own arguments (not a cast inside one: `f((void *)p)`).</summary>
    private static bool TakesTypes(IReadOnlyList<CodeToken> tokens, int open, int close)
    {
        var nesting = new BracketDepth(BracketKinds.All);
        for (var j = open; j < Math.Min(close, tokens.Count); j++)
        {
            if (tokens[j].Kind == CodeTokenKind.Punctuation) nesting.Read(tokens[j].Text);
            else if (nesting.Depth == 1 && tokens[j].Kind == CodeTokenKind.Keyword && TypeKeywords.Contains(tokens[j].Text)
                && (Is(tokens[j - 1], "(") || Is(tokens[j - 1], ",")))
                return true;
        }
        return false;
    }

    /// <summary>The index of the `)` closing the `(` at <paramref name="open"/>; tokens.Count when the text ends first.</summary>
    private static int MatchingParenthesis(IReadOnlyList<CodeToken> tokens, int open)
    {
        var depth = new BracketDepth(BracketKinds.Parentheses);
        for (var j = open; j < tokens.Count; j++)
        {
            if (tokens[j].Kind != CodeTokenKind.Punctuation) continue;
            depth.Read(tokens[j].Text);
            if (depth.Depth == 0) return j;
        }
        return tokens.Count;
    }

    private static bool Is(CodeToken token, string punctuation) => token.Kind == CodeTokenKind.Punctuation && token.Text == punctuation;

    /// <summary>Only white space before the token on its line.</summary>
    private static bool StartsLine(string text, CodeToken token)
    {
        for (var i = token.Start - 1; i >= 0 && text[i] != '\n'; i--)
            if (!char.IsWhiteSpace(text[i])) return false;
        return true;
    }

    private static bool LineBreakBetween(string text, CodeToken first, CodeToken second) =>
        text.AsSpan(first.End, Math.Max(0, second.Start - first.End)).Contains('\n');
}
