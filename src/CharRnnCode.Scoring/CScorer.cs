// Scores a C text on its own with libclang, as a translation unit parsed from memory with no headers at all
// (-nostdinc: the result does not depend on which headers this machine has). Counted: parse errors only,
// diagnostics of clang's category "Parse Issue" with severity error or fatal. Not counted: semantic errors
// (undeclared identifiers, unknown types, incomplete structs: without the kernel's headers nearly every name
// is undeclared) and preprocessor errors (a missing #include, an undefined function-like macro in #if);
// CXTranslationUnit_KeepGoing keeps a missing header from ending the parse, so the code after it is still read.
// Names the absent headers would have declared as types or macros are guessed first (CHeaderGuesses).
// It reports no undefined identifiers: without headers, C cannot tell an invented name from a declared one.
// The text is untrusted (a model's sample, a file being edited), so it reads no file at all: every directive
// that would read one (#include, #include_next, #import, #embed) is blanked to spaces before clang sees it, an
// absolute path, a `..` path and a plain name alike (a plain name would be looked up beside "sample.c", i.e.
// in whatever folder the process runs in). Blanking keeps every byte offset, so positions do not move.
using System.Text;
using CharRnnCode.Common;

namespace CharRnnCode.Scoring;

public sealed unsafe class CScorer : ICodeScorer, IDisposable
{
    private const string FileName = "sample.c";
    private const string ParseIssue = "Parse Issue";

    // -w: warnings are never counted, so clang need not produce them; -fno-spell-checking: no typo correction,
    // whose suggestions would make error recovery depend on which names happen to be near each other.
    private static readonly string[] Arguments = ["-x", "c", "-std=gnu11", "-nostdinc", "-ferror-limit=0", "-fno-spell-checking", "-w"];

    // Preprocessor directives whose words are not names of the program (a header path, a message).
    private static readonly HashSet<string> TextDirectives = new(StringComparer.Ordinal)
        { "include", "include_next", "import", "pragma", "error", "warning", "line", "ident", "sccs" };

    private nint _index;
    private readonly Lock _gate = new();
    private readonly string _version;

    /// <exception cref="UserError">libclang cannot be loaded.</exception>
    public CScorer()
    {
        try
        {
            _index = LibClang.CreateIndex(0, 0);
            _version = LibClang.Take(LibClang.GetClangVersion());
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
        {
            throw new UserError(
                $"the C scorer could not load libclang ({error.Message}). It comes from the NuGet package libclang.runtime.linux-x64, " +
                "which the build copies to runtimes/linux-x64/native/libclang.so beside charrnn: run `dotnet build` again, and run charrnn " +
                "from its build output on linux-x64 (the only platform it is bundled for).", error);
        }
    }

    public string Language => "c";
    public string Name => $"libclang, {_version} (C)";
    public bool ReportsUndefinedNames => false;

    public SnippetScore Score(string code) => new(ParseErrors(code), []);

    public IReadOnlyList<SyntaxIssue> ParseErrors(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var (tokens, _, macroBodies) = Split(code);
        var prelude = CHeaderGuesses.Prelude(code, tokens, macroBodies);
        return Parse(code, prelude, tokenize: false).Errors;
    }

    public IReadOnlyList<CodeToken> Tokens(string code) => Split(code).Code;

    public IReadOnlyList<CodeToken> Identifiers(string code) => Split(code).Names;

    /// <summary>The text's tokens outside preprocessor directives (comments left out), and the names it uses:
    /// identifiers in code and in #define/#if lines, without directive words, `defined`, and #include paths.</summary>
    private (List<CodeToken> Code, List<CodeToken> Names, List<CodeToken> MacroBodies) Split(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var tokens = Parse(code, "", tokenize: true).Tokens;
        var (codeTokens, names, macroBodies) = (new List<CodeToken>(), new List<CodeToken>(), new List<CodeToken>());
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.Kind == CodeTokenKind.Punctuation && token.Text == "#" && StartsLine(code, token.Start))
            {
                var end = DirectiveEnd(code, token.Start);
                var directive = i + 1 < tokens.Count && tokens[i + 1].Start < end ? tokens[i + 1].Text : "";
                var skipWords = TextDirectives.Contains(directive);
                for (i += directive.Length > 0 ? 2 : 1; i < tokens.Count && tokens[i].Start < end; i++)
                {
                    if (!skipWords && tokens[i].Kind == CodeTokenKind.Identifier && tokens[i].Text != "defined") names.Add(tokens[i]);
                    if (directive == "define" && tokens[i].Kind != CodeTokenKind.Other) macroBodies.Add(tokens[i]);
                }
                i--;
                continue;
            }
            if (token.Kind == CodeTokenKind.Other) continue;
            codeTokens.Add(token);
            if (token.Kind == CodeTokenKind.Identifier) names.Add(token);
        }
        return (codeTokens, names, macroBodies);
    }

    private (List<SyntaxIssue> Errors, List<CodeToken> Tokens) Parse(string code, string prelude, bool tokenize)
    {
        var preludeBytes = Encoding.UTF8.GetByteCount(prelude);
        var buffer = Encoding.UTF8.GetBytes(prelude + code);
        BlankFileDirectives(buffer);
        var charAt = CharacterOffsets(code, buffer.Length - preludeBytes);
        var trimmedEnd = code.TrimEnd().Length;
        var errors = new List<SyntaxIssue>();
        var tokens = new List<CodeToken>();
        var fileName = Encoding.UTF8.GetBytes(FileName + "\0");
        var arguments = Arguments.Select(argument => Encoding.UTF8.GetBytes(argument + "\0")).ToArray();
        var handles = arguments.Select(argument => System.Runtime.InteropServices.GCHandle.Alloc(argument, System.Runtime.InteropServices.GCHandleType.Pinned)).ToArray();
        try
        {
            var argv = stackalloc byte*[arguments.Length];
            for (var i = 0; i < arguments.Length; i++) argv[i] = (byte*)handles[i].AddrOfPinnedObject();
            fixed (byte* name = fileName)
            fixed (byte* contents = buffer)
            {
                var unsaved = new LibClang.UnsavedFile { Filename = name, Contents = contents, Length = (nuint)buffer.Length };
                nint unit;
                lock (_gate)
                {
                    var status = LibClang.ParseTranslationUnit2(_index, name, argv, arguments.Length, &unsaved, 1, LibClang.KeepGoing, &unit);
                    if (status != 0 || unit == 0) throw new InvalidOperationException($"libclang could not parse the text at all (error code {status}).");
                    try
                    {
                        ReadErrors(unit, preludeBytes, charAt, trimmedEnd, errors);
                        if (tokenize) ReadTokens(unit, name, preludeBytes, buffer.Length, charAt, code, tokens);
                    }
                    finally
                    {
                        LibClang.DisposeTranslationUnit(unit);
                    }
                }
            }
        }
        finally
        {
            foreach (var handle in handles) handle.Free();
        }
        errors.Sort((a, b) => a.Position.CompareTo(b.Position));
        return (errors, tokens);
    }

    private static void ReadErrors(nint unit, int preludeBytes, int[] charAt, int trimmedEnd, List<SyntaxIssue> errors)
    {
        var count = LibClang.GetNumDiagnostics(unit);
        for (uint i = 0; i < count; i++)
        {
            var diagnostic = LibClang.GetDiagnostic(unit, i);
            try
            {
                if (LibClang.GetDiagnosticSeverity(diagnostic) < LibClang.SeverityError) continue;
                if (LibClang.Take(LibClang.GetDiagnosticCategoryText(diagnostic)) != ParseIssue) continue;
                var offset = LibClang.Offset(LibClang.GetDiagnosticLocation(diagnostic));
                // Errors inside the guessed prelude, or without a place, are not the text's.
                if (offset == uint.MaxValue || offset < preludeBytes) continue;
                var position = charAt[Math.Min(charAt.Length - 1, (int)offset - preludeBytes)];
                errors.Add(new SyntaxIssue(position, LibClang.Take(LibClang.GetDiagnosticSpelling(diagnostic)), OnlyCutOffAtEnd: position >= trimmedEnd)
                { Id = "clang" });
            }
            finally
            {
                LibClang.DisposeDiagnostic(diagnostic);
            }
        }
    }

    private static void ReadTokens(nint unit, byte* name, int preludeBytes, int totalBytes, int[] charAt, string code, List<CodeToken> tokens)
    {
        var file = LibClang.GetFile(unit, name);
        var range = LibClang.GetRange(LibClang.GetLocationForOffset(unit, file, (uint)preludeBytes), LibClang.GetLocationForOffset(unit, file, (uint)totalBytes));
        LibClang.Token* raw;
        uint count;
        LibClang.Tokenize(unit, range, &raw, &count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var extent = LibClang.GetTokenExtent(unit, raw[i]);
                var (start, end) = (LibClang.Offset(LibClang.GetRangeStart(extent)), LibClang.Offset(LibClang.GetRangeEnd(extent)));
                if (start == uint.MaxValue || start < preludeBytes) continue;
                var from = charAt[Math.Min(charAt.Length - 1, (int)start - preludeBytes)];
                var to = charAt[Math.Min(charAt.Length - 1, (int)end - preludeBytes)];
                var kind = LibClang.GetTokenKind(raw[i]) switch
                {
                    LibClang.TokenKind.Identifier => CodeTokenKind.Identifier,
                    LibClang.TokenKind.Keyword => CodeTokenKind.Keyword,
                    LibClang.TokenKind.Punctuation => CodeTokenKind.Punctuation,
                    LibClang.TokenKind.Literal => CodeTokenKind.Literal,
                    _ => CodeTokenKind.Other,
                };
                tokens.Add(new CodeToken(kind, from, to - from, code[from..to]));
            }
        }
        finally
        {
            if (raw is not null) LibClang.DisposeTokens(unit, raw, count);
        }
    }

    // Directives that make the preprocessor open a file.
    private static readonly HashSet<string> FileDirectives = new(StringComparer.Ordinal) { "include", "include_next", "import", "embed" };

    /// <summary>
    /// Overwrites with spaces (line ends kept) every directive of <see cref="FileDirectives"/> in the UTF-8 text.
    /// It follows the preprocessor's rules where they decide whether a line is a directive (comments, string and
    /// character literals, backslash-newline, the %: digraph) and errs towards blanking: a line it takes for such a
    /// directive that clang would not (one inside a multi-line comment, say) is blanked too, which changes nothing
    /// that is scored, while the reverse would let a file be read.
    /// </summary>
    internal static void BlankFileDirectives(byte[] text)
    {
        var atLineStart = true;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (Continuation(text, i) is var joined and > 0) { i += joined; continue; }
            if (c == '\n') { atLineStart = true; i++; continue; }
            if (c is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\f' or (byte)'\v') { i++; continue; }
            if (c == '/' && At(text, i + 1) == '*')
            {
                var end = BlockCommentEnd(text, i);
                if (Array.IndexOf(text, (byte)'\n', i, end - i) >= 0) atLineStart = true;
                i = end;
                continue;
            }
            if (c == '/' && At(text, i + 1) == '/') { i = LineEnd(text, i); continue; }
            var hash = c == '#' ? 1 : c == '%' && At(text, i + 1) == ':' ? 2 : 0;
            if (hash > 0 && atLineStart)
            {
                var (name, after) = DirectiveName(text, i + hash);
                if (FileDirectives.Contains(name))
                {
                    var end = LogicalLineEnd(text, after);
                    for (var b = i; b < end; b++)
                        if (text[b] != '\n') text[b] = (byte)' ';
                    i = end;
                }
                else i = after;
                atLineStart = false;
                continue;
            }
            atLineStart = false;
            if (c is (byte)'"' or (byte)'\'') { i = LiteralEnd(text, i); continue; }
            i++;
        }
    }

    private static int At(byte[] text, int i) => i < text.Length ? text[i] : -1;

    /// <summary>The length of a backslash-newline at <paramref name="i"/> (2, or 3 with \r), else 0.</summary>
    private static int Continuation(byte[] text, int i) =>
        At(text, i) != '\\' ? 0 : At(text, i + 1) == '\n' ? 2 : At(text, i + 1) == '\r' && At(text, i + 2) == '\n' ? 3 : 0;

    private static int BlockCommentEnd(byte[] text, int start)
    {
        for (var i = start + 2; i < text.Length; i++)
            if (text[i] == '*' && NextSkippingContinuations(text, i + 1) is var next && At(text, next) == '/') return next + 1;
        return text.Length;
    }

    private static int NextSkippingContinuations(byte[] text, int i)
    {
        while (Continuation(text, i) is var joined and > 0) i += joined;
        return i;
    }

    /// <summary>Where a // comment or a directive starting before <paramref name="i"/> ends: its line end not escaped by a
    /// backslash (block comments inside it may span lines).</summary>
    private static int LineEnd(byte[] text, int i)
    {
        while (i < text.Length && text[i] != '\n') i += Continuation(text, i) is var joined and > 0 ? joined : 1;
        return i;
    }

    private static int LogicalLineEnd(byte[] text, int i)
    {
        while (i < text.Length && text[i] != '\n')
        {
            if (Continuation(text, i) is var joined and > 0) i += joined;
            else if (text[i] == '/' && At(text, i + 1) == '*') i = BlockCommentEnd(text, i);
            else i++;
        }
        return i;
    }

    /// <summary>The end of a string or character literal starting at <paramref name="start"/>: its closing quote, or the
    /// unescaped line end where an unterminated one stops.</summary>
    private static int LiteralEnd(byte[] text, int start)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\') { i++; if (At(text, i) == '\r' && At(text, i + 1) == '\n') i++; continue; }
            if (text[i] == quote) return i + 1;
            if (text[i] == '\n') return i;
        }
        return text.Length;
    }

    /// <summary>The directive's name after its # (whitespace, comments and backslash-newlines skipped) and where it ends.</summary>
    private static (string Name, int After) DirectiveName(byte[] text, int i)
    {
        while (i < text.Length)
        {
            if (Continuation(text, i) is var joined and > 0) i += joined;
            else if (text[i] is (byte)' ' or (byte)'\t' or (byte)'\f' or (byte)'\v' or (byte)'\r') i++;
            else if (text[i] == '/' && At(text, i + 1) == '*') i = BlockCommentEnd(text, i);
            else break;
        }
        var name = new StringBuilder();
        while (i < text.Length)
        {
            if (Continuation(text, i) is var joined and > 0) { i += joined; continue; }
            var c = text[i];
            if (!(c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_')) break;
            name.Append((char)c);
            i++;
        }
        return (name.ToString(), i);
    }

    /// <summary>For every byte offset of the UTF-8 text (and its end), the UTF-16 offset of the character it belongs to.</summary>
    private static int[] CharacterOffsets(string code, int byteCount)
    {
        var charAt = new int[byteCount + 1];
        var bytes = 0;
        for (var i = 0; i < code.Length; i++)
        {
            var width = char.IsHighSurrogate(code[i]) && i + 1 < code.Length ? Encoding.UTF8.GetByteCount(code.AsSpan(i, 2)) : Encoding.UTF8.GetByteCount(code.AsSpan(i, 1));
            for (var b = 0; b < width && bytes + b < byteCount; b++) charAt[bytes + b] = i;
            bytes += width;
            if (width == 4) i++;
        }
        for (var b = bytes; b <= byteCount; b++) charAt[b] = code.Length;
        return charAt;
    }

    private static bool StartsLine(string text, int position)
    {
        for (var i = position - 1; i >= 0 && text[i] != '\n'; i--)
            if (!char.IsWhiteSpace(text[i])) return false;
        return true;
    }

    /// <summary>Where a directive starting at <paramref name="hash"/> ends: the first line end not escaped by a backslash.</summary>
    private static int DirectiveEnd(string text, int hash)
    {
        for (var i = text.IndexOf('\n', hash); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            var before = i > 0 && text[i - 1] == '\r' ? i - 2 : i - 1;
            if (before < 0 || text[before] != '\\') return i;
        }
        return text.Length;
    }

    /// <summary>Pays libclang's first-use costs (loading, JIT of the bindings) once, up front.</summary>
    public void WarmUp() => Score("int main(void) { return 0; }\n");

    public void Dispose()
    {
        lock (_gate)
        {
            if (_index != 0) LibClang.DisposeIndex(_index);
            _index = 0;
        }
    }
}
