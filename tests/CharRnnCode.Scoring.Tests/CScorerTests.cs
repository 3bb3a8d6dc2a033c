// CScorer against the real libclang of the build output: kernel-style C without its headers parses; a missing
// semicolon and an unclosed brace are parse errors (the brace only the text being cut off); a missing header
// is not counted and does not end the parse; names come from clang's lexer, not from strings or comments;
// an #include of a real file (absolute, through `..`, however the directive is spelled) is never read.
namespace CharRnnCode.Scoring.Tests;

public sealed class CScorerTests : IDisposable
{
    private readonly CScorer _scorer = new();

    public void Dispose() => _scorer.Dispose();

    [Fact]
    public void The_scorer_names_libclang_and_reports_no_undefined_names()
    {
        Assert.Equal("c", _scorer.Language);
        Assert.StartsWith("libclang, clang version 22.1.8", _scorer.Name);
        Assert.False(_scorer.ReportsUndefinedNames);
    }

    [Fact]
    public void A_kernel_function_with_undeclared_types_and_macros_parses()
    {
        const string code = """
            static int demo_alloc(struct device *dev, u32 flags)
            {
            	struct demo_priv *priv = kmalloc(sizeof(*priv), GFP_KERNEL);

            	if (!priv)
            		return -ENOMEM;
            	priv->flags = flags;
            	dev_set_drvdata(dev, priv);
            	return 0;
            }

            """;
        var score = _scorer.Score(code);
        Assert.Empty(score.SyntaxErrors);
        Assert.Empty(score.UndefinedIdentifiers);
        Assert.True(score.Parses);
    }

    [Fact]
    public void Kernel_macros_and_types_the_absent_headers_declare_do_not_count_as_parse_errors()
    {
        // Each line is a parse error for clang when __init, u32, list_for_each_entry, container_of and
        // MODULE_LICENSE are unknown; the guessed declarations make them what the kernel's headers make them.
        const string code = """
            static int __init demo_init(void)
            {
            	u32 *regs = (u32 *)base;
            	struct demo *d = container_of(regs, struct demo, regs);

            	list_for_each_entry(d, &demo_list, node) {
            		d->count++;
            	}
            	return 0;
            }
            MODULE_LICENSE("GPL");

            """;
        Assert.Empty(_scorer.ParseErrors(code));
    }

    [Fact]
    public void A_missing_semicolon_and_an_unclosed_brace_are_parse_errors()
    {
        const string code = "int sum(int a, int b)\n{\n\tint total = a + b\n\treturn total;\n";
        var score = _scorer.Score(code);
        Assert.Equal(
        [
            (code.IndexOf("b\n", StringComparison.Ordinal) + 1, "expected ';' at end of declaration", false),
            (code.Length - 1, "expected '}'", true),
        ], score.SyntaxErrors.Select(issue => (issue.Position, issue.Message, issue.OnlyCutOffAtEnd)));
        Assert.Equal(1, score.RealSyntaxErrorCount);
        Assert.False(score.Parses);
    }

    [Theory]
    [InlineData("#include \"{0}\"")]
    [InlineData("  #  include \"{0}\"")]
    [InlineData("%:include \"{0}\"")]
    [InlineData("#/* a comment */include \"{0}\"")]
    [InlineData("#inc\\\nlude \"{0}\"")]
    [InlineData("#include_next \"{0}\"")]
    [InlineData("#import \"{0}\"")]
    [InlineData("#include <{0}>")]
    [InlineData("#define HEADER \"{0}\"\n#include HEADER")]
    [InlineData("/* one\n   two */ #include \"{0}\"")]
    public void No_included_file_is_read_however_the_directive_is_written(string directive)
    {
        // The header defines MARKER so that `int MARKER;` stops parsing; unread, MARKER is just the variable's name.
        var folder = Directory.CreateTempSubdirectory("charrnn-cscorer-");
        try
        {
            var header = Path.Combine(folder.FullName, "sub", "..", "marker.h");
            Directory.CreateDirectory(Path.Combine(folder.FullName, "sub"));
            File.WriteAllText(Path.Combine(folder.FullName, "marker.h"), "#define MARKER (\n");
            Assert.NotEmpty(_scorer.ParseErrors("#define MARKER (\nint MARKER;\n")); // what reading it would do

            var code = string.Format(System.Globalization.CultureInfo.InvariantCulture, directive, header) + "\nint MARKER;\n";
            Assert.Empty(_scorer.ParseErrors(code));
            // Blanking the directive keeps every position: an error after it is where it was.
            var broken = code + "int one(void) { return 1 }\n";
            var issue = Assert.Single(_scorer.ParseErrors(broken));
            Assert.Equal(broken.IndexOf(" }", StringComparison.Ordinal), issue.Position);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Include_lines_inside_strings_and_comments_are_left_alone()
    {
        // A string that holds "#include" and a line comment are not directives; the code around them still parses.
        Assert.Empty(_scorer.ParseErrors("const char *s = \"#include <x.h>\"; // #include \"y.h\"\nint z;\n"));
        Assert.Equal(["s", "z"], _scorer.Identifiers("const char *s = \"#include <x.h>\"; // #include \"y.h\"\nint z;\n").Select(t => t.Text));
    }

    [Fact]
    public void A_missing_header_is_not_counted_and_the_code_after_it_is_still_parsed()
    {
        Assert.Empty(_scorer.ParseErrors("#include <linux/slab.h>\n#include \"missing_local.h\"\n\nint answer(void)\n{\n\treturn 42;\n}\n"));

        const string broken = "#include <linux/slab.h>\nint one(void) { return 1 }\n";
        var issue = Assert.Single(_scorer.ParseErrors(broken));
        Assert.Equal((broken.IndexOf(" }", StringComparison.Ordinal), "expected ';' after return statement"), (issue.Position, issue.Message));
    }

    [Fact]
    public void Names_are_identifiers_outside_strings_comments_include_paths_and_directive_words()
    {
        const string code = "#include <linux/slab.h>\n#define SIZE 4\n/* count words */\nstatic int count = SIZE; const char *s = \"not a name\";\n#if defined(SIZE)\n#endif\n";
        Assert.Equal(["SIZE", "count", "SIZE", "s", "SIZE"], _scorer.Identifiers(code).Select(name => name.Text));
        var tokens = _scorer.Tokens(code);
        Assert.Equal("static", tokens[0].Text);
        Assert.Equal(CodeTokenKind.Keyword, tokens[0].Kind);
        Assert.Equal((code.IndexOf("static", StringComparison.Ordinal), 6), (tokens[0].Start, tokens[0].Length));
    }

    [Fact]
    public void Positions_are_in_characters_when_the_text_is_not_ascii()
    {
        const string code = "/* größe */ int x = 1\nint y;\n";
        var issue = Assert.Single(_scorer.ParseErrors(code));
        Assert.Equal(code.IndexOf("1\n", StringComparison.Ordinal) + 1, issue.Position);
        Assert.Equal(["x", "y"], _scorer.Identifiers(code).Select(name => (name.Text, code.Substring(name.Start, name.Length))).Select(pair => pair.Item2));
    }
}
