// Roslyn in the decoding loop: which characters may come next after a candidate's text so far, from
// what the compilation knows at the caret. Identifiers: after `receiver.` (the receiver bound
// speculatively at the caret) only prefixes of the receiver's accessible members, extension methods
// included; where an expression starts (statement start, after `=`, `return`, an operator, or the
// condition of `if`/`while`/..., after a cast to a built-in type) only prefixes of the names in scope, the C# keywords and the names
// the line has written so far. An identifier may end only on a complete legal name. Where the set is
// unknown (unbound receiver, a new declaration's name, an argument that may be a lambda parameter,
// inside strings and comments) any character may come. Lexical guards: no line break inside an
// unterminated string, or while a bracket the candidate opened is still open; no closing bracket
// that nothing open matches; in a method body, a line that starts empty starts with code (not a line
// end, a comment or a directive), because an empty or comment-only completion there completes nothing.
// It knows nothing of the model: it answers per text, and the name sets are computed once per
// identifier start (cached by the text before it), not per character. One instance per request.
using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring;

public sealed class DecodingConstraint
{
    // Where a member may start (outside any method body): the reserved keywords, and the contextual ones that
    // start code in a member; not the pattern (`and`, `or`, `not`) and query (`from`, `select`, ...) words,
    // which are names elsewhere.
    private static readonly string[] MemberKeywords = SyntaxFacts.GetKeywordKinds().Select(SyntaxFacts.GetText)
        .Concat(["var", "dynamic", "nameof", "await", "async", "yield", "global", "when", "get", "set", "init", "add", "remove", "partial", "record", "required", "file", "scoped"])
        .Where(text => text.Length > 0 && char.IsLetter(text[0])).Distinct().ToArray();

    // Where an expression starts: only the keywords that can begin one (and the built-in type names, for casts,
    // declarations in patterns and static calls). `if (!readonly`, `return ref ==` are what the others wrote.
    private static readonly string[] ExpressionKeywordsAtStart =
    [
        "this", "base", "new", "null", "true", "false", "default", "typeof", "sizeof", "nameof", "checked", "unchecked",
        "await", "stackalloc", "throw", "delegate", "async", "static", "var", "dynamic",
        "bool", "byte", "char", "decimal", "double", "float", "int", "long", "object", "sbyte", "short", "string", "uint", "ulong", "ushort", "nint", "nuint",
    ];

    // Where a statement starts inside a method body: the expression keywords and the statement keywords.
    private static readonly string[] StatementKeywords =
    [
        .. ExpressionKeywordsAtStart, "if", "else", "for", "foreach", "while", "do", "switch", "case", "return", "break", "continue",
        "try", "catch", "finally", "using", "lock", "const", "yield", "goto", "fixed", "unsafe", "ref", "void",
    ];

    // Keywords after which an expression follows (so a name there is a reference, not a new declaration).
    private static readonly FrozenSet<string> ExpressionKeywords = FrozenSet.ToFrozenSet(
    [
        "return", "await", "new", "throw", "in", "is", "as", "case", "when", "else", "do", "yield", "out", "ref",
        "typeof", "sizeof", "nameof", "default", "checked", "unchecked", "not", "and", "or", "with", "using", "lock",
        "if", "while", "switch", "foreach", "for", "where", "select", "from", "let", "on", "equals", "orderby", "by",
        "group", "into", "goto", "fixed",
    ], StringComparer.Ordinal);

    // Before `(`: a condition or a resource follows, not an argument list that may hold a lambda.
    private static readonly FrozenSet<string> ConditionKeywords = FrozenSet.ToFrozenSet(
        ["if", "while", "switch", "lock", "using", "return", "foreach", "catch", "when", "typeof", "nameof", "sizeof"], StringComparer.Ordinal);

    private readonly CompletionContext _context;
    private readonly string _linePrefix;
    private readonly bool _inBody;
    private readonly NameSet _expressionNames;   // names in scope and the keywords that start an expression
    private readonly NameSet _statementNames;    // names in scope and the keywords that start a statement (or a member, outside bodies)
    private readonly Dictionary<string, NameSet?> _setsByStart = new(StringComparer.Ordinal);
    private readonly Dictionary<string, NameSet?> _membersByReceiver = new(StringComparer.Ordinal);

    public DecodingConstraint(CompletionContext context)
    {
        _context = context;
        var line = context.Text.Lines.GetLineFromPosition(context.Position);
        _linePrefix = context.Text.ToString(TextSpan.FromBounds(line.Start, context.Position));
        var root = context.CaretRoot;
        var token = root.FindToken(Math.Max(0, Math.Min(context.PositionInRoot, root.FullSpan.End - 1)));
        _inBody = token.Parent?.AncestorsAndSelf().Any(node => node is BlockSyntax) == true;
        _expressionNames = new NameSet(context.NamesInScope.Concat(ExpressionKeywordsAtStart));
        _statementNames = new NameSet(context.NamesInScope.Concat(_inBody ? StatementKeywords : MemberKeywords));
    }

    /// <summary>Identifier starts whose name set was computed (for tests and the trace).</summary>
    public int SetsComputed => _setsByStart.Count;

    /// <summary>Which characters may follow <paramref name="generated"/> (the text generated after the caret); null: any.</summary>
    public Func<char, bool>? Allowed(string generated)
    {
        var text = _linePrefix + generated;
        var lexical = LexicalState.Of(text, _linePrefix.Length);
        if (lexical.InComment) return null;
        if (lexical.InString) return lexical.InVerbatimString ? null : c => c != '\n';

        var wordStart = text.Length;
        while (wordStart > 0 && IsWordCharacter(text[wordStart - 1])) wordStart--;
        var partial = text[wordStart..];
        Func<char, bool>? identifier = null;
        if (partial.Length == 0 || !char.IsDigit(partial[0]))
        {
            var set = SetAt(text, wordStart);
            if (set is not null && set.Next(partial) is { } next)
                identifier = partial.Length == 0
                    ? c => !IsWordCharacter(c) || char.IsDigit(c) || next.Characters.Contains(c)
                    : c => IsWordCharacter(c) ? next.Characters.Contains(c) : next.Complete;
        }
        // Outside bodies a blank line may well get a doc comment or a directive; inside one it gets a statement.
        var codeFirst = _inBody && text.All(c => c is ' ' or '\t');
        return c =>
        {
            if (identifier is not null && !identifier(c)) return false;
            if (codeFirst && c is '\n' or '\r' or '/' or '#') return false;
            return c switch
            {
                '\n' => !lexical.GeneratedBracketOpen,
                ')' => lexical.Top == '(',
                ']' => lexical.Top == '[',
                _ => true,
            };
        };
    }

    /// <summary>The legal names of an identifier starting at <paramref name="start"/> of <paramref name="text"/>; null where unknown.</summary>
    private NameSet? SetAt(string text, int start)
    {
        var key = text[..start];
        if (_setsByStart.TryGetValue(key, out var cached)) return cached;
        var set = ComputeSetAt(key);
        _setsByStart[key] = set;
        return set;
    }

    private NameSet? ComputeSetAt(string before)
    {
        var end = before.Length;
        while (end > 0 && char.IsWhiteSpace(before[end - 1])) end--;
        if (end == 0) return WithWrittenNames(before, _statementNames);         // statement start
        var previous = before[end - 1];
        // `int? x`: a nullable type, then a new name.
        if (previous == '?' && end >= 2 && (IsWordCharacter(before[end - 2]) || before[end - 2] == '>') && end < before.Length) return null;
        if (previous == '.' && !(end >= 2 && before[end - 2] == '.'))
        {
            var dot = end - 1;
            if (dot > 0 && before[dot - 1] == '?') dot--;                         // `?.`
            if (dot > 0 && char.IsDigit(before[dot - 1]) && ReceiverStart(before, dot) is var s && before[s..dot].All(char.IsDigit)) return null; // `1.5`
            return MembersOf(before[ReceiverStart(before, dot)..dot].Trim());
        }
        if (IsWordCharacter(previous))
        {
            var wordStart = end;
            while (wordStart > 0 && IsWordCharacter(before[wordStart - 1])) wordStart--;
            var word = before[wordStart..end];
            // `return x`, `new Foo`, `is Bar`: an expression; `int x`, `Foo x`, `var x`: a new name, free.
            if (word is "else" or "do") return WithWrittenNames(before, _statementNames);
            return ExpressionKeywords.Contains(word) && !(word == "using" && wordStart == 0) ? WithWrittenNames(before, _expressionNames) : null;
        }
        switch (previous)
        {
            case ';' or '{' or '}':
                return WithWrittenNames(before, _statementNames);
            case '=' or '!' or '+' or '-' or '*' or '/' or '%' or '&' or '|' or '^' or '?' or '[':
                return previous == '=' && end >= 2 && before[end - 2] == '>' ? null : WithWrittenNames(before, _expressionNames); // after `=>` a lambda body: its parameters are unknown
            case '(':
                var open = end - 1;
                var keywordEnd = open;
                while (keywordEnd > 0 && before[keywordEnd - 1] == ' ') keywordEnd--;
                var keywordStart = keywordEnd;
                while (keywordStart > 0 && IsWordCharacter(before[keywordStart - 1])) keywordStart--;
                return ConditionKeywords.Contains(before[keywordStart..keywordEnd]) ? WithWrittenNames(before, _expressionNames) : null;
            case ')':
                // `(string)x`: after a cast to a built-in type an expression follows; any other `)` may end a
                // condition, a call or a lambda's parameter list, so the name after it stays free.
                var opener = BracketDepth.MatchingOpener(before, end - 1);
                var inner = opener < 0 ? "" : before[(opener + 1)..(end - 1)].Trim().TrimEnd('?', '[', ']');
                return SyntaxFacts.IsPredefinedType(SyntaxFacts.GetKeywordKind(inner)) && !EndsWithWord(before, opener)
                    ? WithWrittenNames(before, _expressionNames) : null;
            default:
                return null;                                                    // `,`, `<`, `>`, `:`: arguments, generics, labels: free
        }
    }

    /// <summary>A base set (names in scope and the keywords allowed there) plus every identifier the line has written before this point (its own locals, lambda parameters).</summary>
    private NameSet WithWrittenNames(string before, NameSet baseSet)
    {
        var written = SyntaxFactory.ParseTokens(before, options: CSharpScorer.ParseOptions)
            .Where(token => token.IsKind(SyntaxKind.IdentifierToken)).Select(token => token.ValueText)
            .Where(name => !_context.NamesInScope.Contains(name)).Distinct(StringComparer.Ordinal).ToList();
        return written.Count == 0 ? baseSet : baseSet.With(written);
    }

    /// <summary>The members of a receiver written as text, bound speculatively at the caret; null where it cannot be bound.</summary>
    private NameSet? MembersOf(string receiver)
    {
        if (receiver.Length == 0) return null;
        if (_membersByReceiver.TryGetValue(receiver, out var cached)) return cached;
        NameSet? result = null;
        try
        {
            var expression = SyntaxFactory.ParseExpression(receiver, options: CSharpScorer.ParseOptions);
            if (!expression.ContainsDiagnostics)
            {
                // The fast scorer's receiver members, except after a type's name, where only its static members
                // (and nested types) can follow: an instance member there would not compile.
                var position = _context.PositionInRoot;
                var model = _context.SemanticModel;
                var symbolInfo = model.GetSpeculativeSymbolInfo(position, expression, SpeculativeBindingOption.BindAsExpression);
                var symbol = symbolInfo.Symbol ?? (symbolInfo.CandidateSymbols.Length == 1 ? symbolInfo.CandidateSymbols[0] : null);
                // `this` and `base` may bind to the containing type's symbol: they are values, read by their type.
                var value = expression is ThisExpressionSyntax or BaseExpressionSyntax;
                IEnumerable<string>? members = symbol is ITypeSymbol type && !value
                    ? model.LookupStaticMembers(position, type).Concat(type.GetTypeMembers()).Select(member => member.Name)
                    : CompletionScorer.MemberNames(model, position, symbol as INamespaceSymbol,
                        symbol is INamespaceOrTypeSymbol && !value ? null : model.GetSpeculativeTypeInfo(position, expression, SpeculativeBindingOption.BindAsExpression).Type);
                var names = members?.Where(name => name.Length > 0 && char.IsLetter(name[0]) || name.StartsWith('_')).ToList();
                if (names is { Count: > 0 }) result = new NameSet(names);
            }
        }
        catch (Exception error) when (error is ArgumentException or InvalidOperationException) { result = null; }
        _membersByReceiver[receiver] = result;
        return result;
    }

    /// <summary>Where the primary expression ending just before <paramref name="dot"/> starts: names, dots, balanced (), [] and &lt;&gt;.</summary>
    private static int ReceiverStart(string text, int dot)
    {
        var i = dot;
        while (i > 0)
        {
            var c = text[i - 1];
            if (IsWordCharacter(c) || c == '.' || c == '@') { i--; continue; }
            if (c is ')' or ']' or '>')
            {
                var j = BracketDepth.MatchingOpener(text, i - 1);
                if (j < 0) break;
                i = j;
                continue;
            }
            if (c == '?' && i >= 2 && text[i - 2] != ' ') { i--; continue; }   // a?.b?.c
            break;
        }
        return i;
    }

    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Whether a word ends just before <paramref name="index"/> (spaces skipped): `sizeof(int)`, `typeof(int)`, not a cast.</summary>
    private static bool EndsWithWord(string text, int index)
    {
        var i = index;
        while (i > 0 && text[i - 1] == ' ') i--;
        return i > 0 && IsWordCharacter(text[i - 1]);
    }

    /// <summary>Strings, comments and brackets of one line as far as it is written; brackets opened before <c>generatedFrom</c> are the user's.</summary>
    private readonly record struct LexicalState(bool InString, bool InVerbatimString, bool InComment, char Top, bool GeneratedBracketOpen)
    {
        public static LexicalState Of(string text, int generatedFrom)
        {
            var stack = new OpenBrackets();
            var i = 0;
            while (i < text.Length)
            {
                var c = text[i];
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '/') return new(false, false, true, TopOf(stack), Open(stack, generatedFrom));
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    var close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (close < 0) return new(false, false, true, TopOf(stack), Open(stack, generatedFrom));
                    i = close + 2;
                    continue;
                }
                if (c is '"' or '\'')
                {
                    var verbatim = i > 0 && (text[i - 1] == '@' || (text[i - 1] == '$' && i > 1 && text[i - 2] == '@'));
                    var end = StringEnd(text, i, c, verbatim);
                    if (end < 0) return new(true, verbatim, false, TopOf(stack), Open(stack, generatedFrom));
                    i = end + 1;
                    continue;
                }
                stack.Read(c, i);   // a closer of the wrong kind closes nothing
                i++;
            }
            return new(false, false, false, TopOf(stack), Open(stack, generatedFrom));
        }

        private static char TopOf(OpenBrackets stack) => stack.Innermost;

        private static bool Open(OpenBrackets stack, int generatedFrom) =>
            stack.Open.Any(entry => entry.At >= generatedFrom && entry.Bracket is '(' or '[');

        /// <summary>The index of the quote that closes the literal opened at <paramref name="start"/>, or -1.</summary>
        private static int StringEnd(string text, int start, char quote, bool verbatim)
        {
            for (var i = start + 1; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '\n' && !verbatim) return -1;
                if (!verbatim && c == '\\') { i++; continue; }
                if (c != quote) continue;
                if (verbatim && i + 1 < text.Length && text[i + 1] == quote) { i++; continue; }
                return i;
            }
            return -1;
        }
    }
}

/// <summary>A set of names asked, prefix by prefix, which characters may extend a prefix and whether it is a whole name.</summary>
public sealed class NameSet
{
    public sealed record Continuations(FrozenSet<char> Characters, bool Complete);

    private readonly string[] _sorted;
    private readonly Dictionary<string, Continuations?> _cache = new(StringComparer.Ordinal);

    public NameSet(IEnumerable<string> names)
    {
        _sorted = names.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    public int Count => _sorted.Length;

    public NameSet With(IEnumerable<string> more) => new(_sorted.Concat(more));

    /// <summary>The characters that extend <paramref name="prefix"/> towards a name, and whether it is one; null when no name starts with it.</summary>
    public Continuations? Next(string prefix)
    {
        if (_cache.TryGetValue(prefix, out var cached)) return cached;
        var index = Array.BinarySearch(_sorted, prefix, StringComparer.Ordinal);
        var complete = index >= 0;
        var i = complete ? index : ~index;
        var characters = new HashSet<char>();
        for (; i < _sorted.Length && _sorted[i].StartsWith(prefix, StringComparison.Ordinal); i++)
            if (_sorted[i].Length > prefix.Length) characters.Add(_sorted[i][prefix.Length]);
        var result = characters.Count == 0 && !complete ? null : new Continuations(characters.ToFrozenSet(), complete);
        _cache[prefix] = result;
        return result;
    }
}
