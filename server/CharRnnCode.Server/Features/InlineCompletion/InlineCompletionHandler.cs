// `textDocument/inlineCompletion`: ghost text at the caret. Every case in which nothing useful can be
// offered (no model, unknown or oversized document, position outside the text) answers an empty list;
// a cancelled or superseded request answers RequestCancelled. It translates LSP to the completion
// library and back (positions to offsets, items to ranges); the library's pipeline does the work.
using CharRnnCode.Completion;
using CharRnnCode.Completion.Documents;
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Features.DocumentSync;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.InlineCompletion;

public sealed class InlineCompletionHandler(ServerContext context) : IDocumentRequestHandler<InlineCompletionParams, InlineCompletionList>
{
    public string Method => Methods.InlineCompletion;

    public InlineCompletionList UnknownDocumentResult => InlineCompletionList.Empty;

    public async Task<InlineCompletionList> HandleAsync(InlineCompletionParams parameters, OpenDocument document, CancellationToken cancellationToken)
    {
        if (document.Text is null) return InlineCompletionList.Empty;
        if (!LspDocuments.IsInRange(document.Text, parameters.Position)) return InlineCompletionList.Empty;
        if (context.Model.Status.State != ModelState.Ready) return InlineCompletionList.Empty;
        var (items, trace) = await context.CompletionPipeline.CompleteAsync(ToRequest(document, parameters), context.Settings.ToCompletionOptions(document.LanguageId), cancellationToken);
        var result = new InlineCompletionList(items.Select(item => new InlineCompletionItem(item.Text, new Protocol.Range(
            LspDocuments.ToPosition(document.Text, item.ReplaceStart), LspDocuments.ToPosition(document.Text, item.ReplaceEnd)),
            Data: new InlineCompletionItemData(Math.Round(item.Confidence, 4)))).ToList());
        context.Log.Info($"inlineCompletion {parameters.Position.Line}:{parameters.Position.Character} -> {result.Items.Count} items " +
                         $"in {trace.TotalMs:F1} ms (encode {trace.EncodeMs:F1} for {trace.EncodedChars} chars, generate {trace.ModelMs:F1}, roslyn {trace.RoslynMs:F1}, " +
                         $"{trace.Kept}/{trace.Generated} kept{(trace.BudgetExpired ? ", budget expired" : "")}{(trace.BudgetExtended ? ", extended to a whole token" : "")}" +
                         $"{(trace.Declined is null ? "" : ", declined: " + trace.Declined)})");
        return result;
    }

    /// <summary>The request in offsets; the completion widget's selected item counts only when its range ends at the caret.</summary>
    private static CompletionRequest ToRequest(OpenDocument document, InlineCompletionParams parameters)
    {
        var text = document.Text!;
        var caret = LspDocuments.ToOffset(text, parameters.Position);
        SelectedCompletion? selected = null;
        if (parameters.Context?.SelectedCompletionInfo is { Range: not null, Text: not null } info)
        {
            var selectedStart = LspDocuments.ToOffset(text, info.Range.Start);
            var selectedEnd = LspDocuments.ToOffset(text, info.Range.End);
            if (selectedStart <= selectedEnd && selectedEnd == caret) selected = new SelectedCompletion(selectedStart, info.Text);
        }
        return new CompletionRequest(document, caret, parameters.Context?.TriggerKind == InlineCompletionTriggerKind.Automatic, selected);
    }
}
