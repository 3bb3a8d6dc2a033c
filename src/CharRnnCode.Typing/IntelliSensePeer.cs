// The peer every C# user already has: Roslyn's completion list (CompletionService, as Visual Studio and the C# extension
// use it) over the same workspace files and references as the ghost text. The list opens where Roslyn says a typed
// character opens it (after `.`, on an identifier character), is computed once when it opens, and is filtered by
// Roslyn's own rules as the user goes on typing; the selected item is the best match of highest priority, as an
// editor preselects it. It simulates no user and measures nothing itself.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Completion;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Host.Mef;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Typing;

public sealed class IntelliSensePeer : IDisposable
{
    private readonly AdhocWorkspace _workspace;
    private readonly Dictionary<string, DocumentId> _documents = new(StringComparer.Ordinal);
    private Solution _solution;
    private readonly ProjectId _project;

    /// <param name="files">the workspace's C# files as they are on disk (a typed file's text is set before each list)</param>
    /// <param name="references">the metadata references the ghost text's Roslyn binds against</param>
    public IntelliSensePeer(IReadOnlyList<TypingFile> files, IReadOnlyList<MetadataReference> references)
    {
        var host = MefHostServices.Create(MefHostServices.DefaultAssemblies
            .Add(typeof(CompletionService).Assembly)
            .Add(System.Reflection.Assembly.Load("Microsoft.CodeAnalysis.CSharp.Features")));
        _workspace = new AdhocWorkspace(host);
        _project = ProjectId.CreateNewId();
        var solution = _workspace.CurrentSolution.AddProject(ProjectInfo.Create(_project, VersionStamp.Create(), "workspace", "workspace", LanguageNames.CSharp,
            compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
            metadataReferences: references));
        foreach (var file in files)
        {
            var id = DocumentId.CreateNewId(_project, file.Path);
            _documents[file.Path] = id;
            solution = solution.AddDocument(id, Path.GetFileName(file.Path), SourceText.From(file.Text), filePath: file.Path);
        }
        _solution = solution;
    }

    /// <summary>The editor's current text of one file (the typed file, keystroke by keystroke).</summary>
    public void SetText(string path, string text)
    {
        if (!_documents.TryGetValue(path, out var id))
        {
            id = DocumentId.CreateNewId(_project, path);
            _documents[path] = id;
            _solution = _solution.AddDocument(id, Path.GetFileName(path), SourceText.From(text), filePath: path);
            return;
        }
        _solution = _solution.WithDocumentText(id, SourceText.From(text));
    }

    /// <summary>The list the editor opens after <paramref name="typed"/> was typed before <paramref name="caret"/>, or null where
    /// the character opens none (Roslyn's ShouldTriggerCompletion) or no item comes.</summary>
    public async Task<OpenList?> OpenAsync(string path, int caret, char typed, CancellationToken cancellationToken = default)
    {
        var document = _solution.GetDocument(_documents[path])!;
        var service = CompletionService.GetService(document)!;
        var text = await document.GetTextAsync(cancellationToken);
        var trigger = CompletionTrigger.CreateInsertionTrigger(typed);
        if (!service.ShouldTriggerCompletion(text, caret, trigger)) return null;
        var list = await service.GetCompletionsAsync(document, caret, trigger, cancellationToken: cancellationToken);
        if (list.ItemsList.Count == 0) return null;
        return new OpenList(path, list.Span.Start, [.. list.ItemsList]);
    }

    /// <summary>The item the editor selects in an open list once the user has typed up to <paramref name="caret"/>, with the
    /// identifier prefix it replaces; null when nothing matches (the editor then shows no selection).</summary>
    public ListSelection? Selected(OpenList list, string currentText, int caret)
    {
        if (caret < list.SpanStart) return null;
        var filterText = currentText[list.SpanStart..caret];
        var document = _solution.GetDocument(_documents[list.Path])!;
        var service = CompletionService.GetService(document)!;
        var matches = service.FilterItems(document, list.Items, filterText);
        if (matches.IsDefaultOrEmpty) return null;
        var best = matches[0];
        foreach (var item in matches)
            if (item.Rules.MatchPriority > best.Rules.MatchPriority) best = item;
        return new ListSelection(best.DisplayText, filterText);
    }

    public void Dispose() => _workspace.Dispose();
}

/// <summary>A completion list as it opened: the file, where the text it filters on starts, and its items.</summary>
public sealed record OpenList(string Path, int SpanStart, ImmutableArray<CompletionItem> Items);
