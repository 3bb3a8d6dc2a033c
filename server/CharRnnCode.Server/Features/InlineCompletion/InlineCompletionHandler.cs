// `textDocument/inlineCompletion`: ghost text at the caret. Every case in which nothing useful can be
// offered (no model, unknown or oversized document, position outside the text) answers an empty list;
// a cancelled or superseded request answers RequestCancelled.
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Features.DocumentSync;
using CharRnnCode.Server.Modeling;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.InlineCompletion;

public sealed class InlineCompletionHandler(ServerContext context) : IDocumentRequestHandler<InlineCompletionParams, InlineCompletionList>
{
    public string Method => Methods.InlineCompletion;

    public string DocumentUri(InlineCompletionParams parameters) => parameters.TextDocument.Uri;

    public InlineCompletionList UnknownDocumentResult => InlineCompletionList.Empty;

    public async Task<InlineCompletionList> HandleAsync(InlineCompletionParams parameters, OpenDocument document, CancellationToken cancellationToken)
    {
        if (document.Text is null) return InlineCompletionList.Empty;
        if (!DocumentStore.IsInRange(document.Text, parameters.Position)) return InlineCompletionList.Empty;
        if (context.Model.Status.State != ModelState.Ready) return InlineCompletionList.Empty;
        var (result, trace) = await context.CompletionPipeline.CompleteAsync(document, parameters, context.Settings, cancellationToken);
        context.Log.Info($"inlineCompletion {parameters.Position.Line}:{parameters.Position.Character} -> {result.Items.Count} items " +
                         $"in {trace.TotalMs:F1} ms (encode {trace.EncodeMs:F1} for {trace.EncodedChars} chars, generate {trace.ModelMs:F1}, roslyn {trace.RoslynMs:F1}, " +
                         $"{trace.Kept}/{trace.Generated} kept{(trace.BudgetExpired ? ", budget expired" : "")}{(trace.BudgetExtended ? ", extended to a whole token" : "")}" +
                         $"{(trace.Declined is null ? "" : ", declined: " + trace.Declined)})");
        return result;
    }
}
