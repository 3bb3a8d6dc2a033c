// The workspace cache's counts and predictions: counts kept up to date file by file equal counts rebuilt from
// scratch, the nested layers rank the current document over the open documents over the workspace, every
// prediction (its counted part and what it leaves to the model it backs off onto) and every mixture sums to one, and an opened document's disk copy is out of every count at once
// (so the line being written can never come from it). Expected values are written out, never computed with
// the cache itself.
using CharRnnCode.Completion.Cache;
using CharRnnCode.Completion.Documents;
using CharRnnCode.Inference;

namespace CharRnnCode.Server.Tests.WorkspaceCache;

public sealed class CharacterCacheTests
{
    /// <summary>The cache's distribution backing off onto a uniform model: counted + backoff / Symbols.</summary>
    private static double[] Predict(CharacterCache cache, string history, string? current = null, DocumentView? document = null)
    {
        var probabilities = new double[CharacterCache.Symbols];
        var backoff = cache.Predict(history, current, document, probabilities);
        for (var s = 0; s < probabilities.Length; s++) probabilities[s] += backoff / CharacterCache.Symbols;
        return probabilities;
    }

    private static int Likeliest(double[] probabilities) => Array.IndexOf(probabilities, probabilities.Max());

    [Fact]
    public void Counts_kept_up_to_date_edit_by_edit_equal_counts_rebuilt_from_scratch()
    {
        var files = new Dictionary<string, string>
        {
            ["/w/A.cs"] = "class A { int m_count; void Add() { m_count++; } }\n",
            ["/w/B.cs"] = "class B { string m_name; void Set(string name) { m_name = name; } }\n",
            ["/w/C.cs"] = "class C { int m_size; int Size() { return m_size; } }\n",
        };
        var incremental = new CharacterCache();
        foreach (var (path, text) in files) incremental.Set(path, text, isOpen: false);
        // Edits: B rewritten, C removed then back with new text, an open document added then replaced.
        incremental.Set("/w/B.cs", "class B { string m_title; }\n", isOpen: false);
        incremental.Remove("/w/C.cs");
        incremental.Set("file:///w/D.cs", "class D { int m_count; }\n", isOpen: true);
        incremental.Set("/w/C.cs", "class C { int m_width; }\n", isOpen: false);
        incremental.Set("file:///w/D.cs", "class D { int m_depth; }\n", isOpen: true);

        var rebuilt = CharacterCache.Build([
            ("/w/A.cs", files["/w/A.cs"], false),
            ("/w/B.cs", "class B { string m_title; }\n", false),
            ("/w/C.cs", "class C { int m_width; }\n", false),
            ("file:///w/D.cs", "class D { int m_depth; }\n", true),
        ]);

        Assert.Equal(rebuilt.Characters, incremental.Characters);
        foreach (var context in new[] { "int m_", "  m_", "class ", "{ int " })
            foreach (var next in "cstwd")
                foreach (var open in new[] { false, true })
                    Assert.Equal(rebuilt.ChainedCount(context, next, open), incremental.ChainedCount(context, next, open));
        foreach (var history in new[] { "class X { int m_", "string m_", "{ return m_", "class ", "m_" })
            Assert.Equal(Predict(rebuilt, history), Predict(incremental, history));
        // Written out: "int m_" is followed by c (A), w (C) and d (D, open); the removed texts count no more.
        Assert.Equal(1, incremental.ChainedCount("int m_", 'c', open: false));
        Assert.Equal(1, incremental.ChainedCount("int m_", 'w', open: false));
        Assert.Equal(0, incremental.ChainedCount("int m_", 's', open: false));
        Assert.Equal(1, incremental.ChainedCount("int m_", 'd', open: true));
        Assert.Equal(0, incremental.ChainedCount("string m_", 'n', open: false));
        Assert.Equal(1, incremental.ChainedCount("string m_", 't', open: false));
    }

    [Fact]
    public void Compaction_keeps_every_prediction()
    {
        var cache = new CharacterCache();
        cache.Set("/w/A.cs", "var total = count + 1;\n", isOpen: false);
        cache.Set("/w/B.cs", "var name = title;\n", isOpen: false);
        cache.Remove("/w/B.cs");
        cache.Set("/w/C.cs", "var total = size;\n", isOpen: false);
        var compacted = CharacterCache.Build(cache.LiveSegments());
        Assert.Equal(0, compacted.RemovedCharacters);
        foreach (var history in new[] { "var total = ", "var ", "= s", "" })
            Assert.Equal(Predict(cache, history), Predict(compacted, history));
    }

    [Fact]
    public void The_current_document_comes_before_the_open_documents_which_come_before_the_workspace()
    {
        var cache = new CharacterCache();
        cache.Set("/w/Workspace.cs", "items.Add(alpha);\nitems.Add(alpha);\n", isOpen: false);
        cache.Set("file:///w/Open.cs", "items.Add(bravo);\n", isOpen: true);
        const string document = "items.Add(charlie);\n";
        var history = "        items.Add(";

        // All three layers: the current document's continuation wins, the open one's beats the workspace's.
        var all = Predict(cache, history, current: null, new DocumentView(document, document.Length));
        Assert.Equal('c', (char)Likeliest(all));
        Assert.True(all['b'] > all['a'], $"open {all['b']} should beat workspace {all['a']}");

        // Without the document layer the open document leads; without the open one too, the workspace.
        var openAndWorkspace = Predict(cache, history);
        Assert.Equal('b', (char)Likeliest(openAndWorkspace));
        var workspaceOnly = Predict(cache, history, current: "file:///w/Open.cs");
        Assert.Equal('a', (char)Likeliest(workspaceOnly));
    }

    [Fact]
    public void A_large_current_documents_own_copy_never_keeps_a_prediction_from_the_workspace()
    {
        var cache = new CharacterCache();
        cache.Set("/w/Workspace.cs", "total = count;\n", isOpen: false);
        // The current document, indexed as an open one after the workspace: 2,000 occurrences of the context, newer
        // than the workspace's one, more than a walk may pass.
        cache.Set("file:///w/Current.cs", string.Concat(Enumerable.Repeat("total = other;\n", 2000)), isOpen: true);

        var counted = new double[CharacterCache.Symbols];
        cache.Predict("total = ", "file:///w/Current.cs", new DocumentView("", 0), counted);

        // The current document's copy is left out (its text is read from the request), so what is counted is the workspace's.
        Assert.True(counted['c'] > 0, $"the workspace's continuation got {counted['c']}");
        Assert.Equal(0, counted['o']);
    }

    [Fact]
    public void A_workspace_file_named_as_the_current_document_is_left_out_and_the_files_before_it_still_count()
    {
        var cache = new CharacterCache();
        cache.Set("/w/Older.cs", "total = count;\n", isOpen: false);
        cache.Set("/w/Current.cs", "total = other;\n", isOpen: false);

        var counted = new double[CharacterCache.Symbols];
        cache.Predict("total = ", "/w/Current.cs", new DocumentView("", 0), counted);

        Assert.True(counted['c'] > 0, $"the older file's continuation got {counted['c']}");
        Assert.Equal(0, counted['o']);
    }

    [Fact]
    public void Every_prediction_sums_to_one_and_gives_every_symbol_some_probability()
    {
        var cache = new CharacterCache();
        cache.Set("/w/A.cs", "if (x)\n{\n\treturn y;\n}\n// é ✓ 漢\n", isOpen: false);
        foreach (var history in new[] { "", "i", "if (", "\treturn ", "unseen context here", "// é ✓ ", "{\n\treturn " })
        {
            var counted = new double[CharacterCache.Symbols];
            var backoff = cache.Predict(history, null, new DocumentView("return y;\n", 10), counted);
            Assert.Equal(1.0, counted.Sum() + backoff, precision: 9);
            Assert.All(counted, p => Assert.True(p >= 0));
            Assert.InRange(backoff, 1e-9, 1.0);
        }
        // Where the context never occurred (or is shorter than KeyOrder), the cache leaves everything to the model it backs off onto.
        var none = new double[CharacterCache.Symbols];
        Assert.Equal(1.0, new CharacterCache().Predict("anything", null, null, none));
        Assert.Equal(1.0, cache.Predict("if", null, null, none));
        Assert.Equal(0.0, none.Sum());
    }

    [Fact]
    public void The_document_layer_reads_only_the_text_it_is_given_before_the_caret()
    {
        var cache = new CharacterCache();
        const string document = "var first = 1;\nvar second = 2;\n";
        // Before the caret only "var first" exists: after "var " the document layer says f, never s.
        var caret = document.IndexOf("var second", StringComparison.Ordinal);
        var probabilities = Predict(cache, "\nvar ", null, new DocumentView(document, caret));
        Assert.True(probabilities['f'] > 0.15, $"p(f) = {probabilities['f']}");
        Assert.True(probabilities['s'] < 0.01, $"'s' comes only from after the caret: {probabilities['s']}");
    }

    [Fact]
    public void The_mixture_sums_to_one_over_the_vocabulary_and_moves_its_weight_to_the_better_model()
    {
        var vocabulary = Vocabulary.Build("abc \n");
        var mixture = new CacheMixture(vocabulary);
        var cache = new CharacterCache();
        cache.Set("/w/A.cs", "abc abc abc\t", isOpen: false);
        var symbols = new double[CharacterCache.Symbols];
        var backoff = cache.Predict("abc ab", null, null, symbols);
        var byId = new double[vocabulary.Size];
        mixture.ToIds(symbols, byId);
        Assert.Equal(1.0, byId.Sum() + backoff, precision: 9);

        var network = new float[vocabulary.Size];
        Array.Fill(network, (float)Math.Log(1.0 / vocabulary.Size));
        CacheMixture.Mix(network, byId, backoff, cacheWeight: 0.3);
        Assert.Equal(1.0, network.Sum(p => Math.Exp(p)), precision: 5);
        // "abc ab" is always followed by 'c' here: the mixture moves mass onto it.
        Assert.True(Math.Exp(network[vocabulary.Encode('c')]) > 1.0 / vocabulary.Size + 0.1);

        // A cache that predicted 0.9 against a network's 0.1, ten times: most of the weight, never all (fixed share).
        var weight = CacheMixture.PriorCacheWeight;
        for (var i = 0; i < 10; i++) weight = CacheMixture.Update(weight, networkProbability: 0.1, cacheProbability: 0.9);
        Assert.InRange(weight, 0.98, 0.996);
        for (var i = 0; i < 10; i++) weight = CacheMixture.Update(weight, networkProbability: 0.9, cacheProbability: 0.1);
        Assert.InRange(weight, 0.005, 0.5);
    }

    [Fact]
    public async Task An_opened_document_takes_its_disk_copy_out_of_every_count_before_any_completion()
    {
        const string onDisk = "class A\n{\n    void M()\n    {\n        var zebraUnique = 1;\n    }\n}\n";
        using var cache = new Completion.Cache.WorkspaceCache(_ => onDisk);
        await cache.AddWorkspaceFiles([("/w/A.cs", onDisk), ("/w/B.cs", "class B { }\n")]);
        Assert.Equal(1, cache.Read(c => c.ChainedCount("zebraUniq", 'u', open: false)));

        // The editor opens A.cs with the line being written emptied: no count may still hold it.
        var documents = new DocumentStore();
        cache.Follow(documents);
        var emptied = onDisk.Replace("var zebraUnique = 1;", "", StringComparison.Ordinal);
        documents.Open("file:///w/A.cs", "csharp", 1, emptied);
        Assert.Equal(0, cache.Read(c => c.ChainedCount("zebraUniq", 'u', open: false)));
        Assert.Equal(0, cache.Read(c => c.ChainedCount("zebraUniq", 'u', open: true)));
        var probabilities = new double[CharacterCache.Symbols];
        cache.Read(c =>
        {
            c.Predict("var zebraUniq", "file:///w/A.cs", new DocumentView(emptied, emptied.Length), probabilities);
            return true;
        });
        Assert.True(probabilities['u'] < 0.05, $"the disk copy's 'zebraUnique' leaked: p(u) = {probabilities['u']}");

        // Files read later by the loader do not bring it back while it is open; closing it does.
        await cache.AddWorkspaceFiles([("/w/A.cs", onDisk)]);
        Assert.Equal(0, cache.Read(c => c.ChainedCount("zebraUniq", 'u', open: false)));
        documents.Close("file:///w/A.cs");
        await cache.WhenIdle();
        Assert.Equal(1, cache.Read(c => c.ChainedCount("zebraUniq", 'u', open: false)));
    }

    [Fact]
    public async Task An_edited_open_document_is_counted_again_after_a_pause()
    {
        using var cache = new Completion.Cache.WorkspaceCache(_ => null);
        var documents = new DocumentStore();
        cache.Follow(documents);
        documents.Open("file:///w/Open.cs", "csharp", 1, "int alpha;\n");
        Assert.Equal(1, cache.Read(c => c.ChainedCount("int al", 'p', open: true)));
        documents.Change("file:///w/Open.cs", 2, [DocumentEdit.Replace(4, 9, "omega")]);
        // Waits for the state (no edit left to count), not for a time.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (cache.Status.Pending > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(0, cache.Status.Pending);
        Assert.Equal(0, cache.Read(c => c.ChainedCount("int al", 'p', open: true)));
        Assert.Equal(1, cache.Read(c => c.ChainedCount("int om", 'e', open: true)));
    }
}
