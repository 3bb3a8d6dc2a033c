// The fast check of a completion's identifiers, without binding the edited document: the identifiers the
// completion writes are read from the member around the caret re-parsed with the completion in it (the parse
// CompletionScorer.Score makes for syntax errors anyway, and the one full binding sees), so text inside string
// literals and comments is never a name, a string or comment the caret is already in stays one, and each
// identifier is judged by its place in the syntax tree:
// - a name the completion declares (locals, parameters, lambda and pattern variables, loop and catch variables)
//   counts as defined from there on;
// - a simple name is looked up in the set of names visible at the caret (computed once per request);
// - a name after `.` or `?.` is looked up among the members of its receiver's type (members, nested types and
//   extension methods in scope), the receiver bound speculatively at the caret; where the receiver cannot be
//   bound (it uses a name the completion declares, or is itself undefined) the name is reported as unresolved,
//   not guessed.
// Object-initializer members are looked up in the created type where it binds. Named arguments, members of
// `void` or `dynamic`, and `->`/`::` members are not judged. CompletionScorer.ScoreExact
// binds fully; CompletionAgreement measures how often the two agree.
using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring;

/// <summary>The names a completion writes that are undefined where it goes, and those the fast check could not judge.</summary>
internal sealed record NameCheck(List<string> Undefined, List<string> Unresolved);

internal static class CompletionNames
{
    // Contextual keywords lex as identifiers; where they are keywords they are never undefined names. (`value` and
    // `args` are parameters, found among the names in scope where they exist.)
    private static readonly FrozenSet<string> ContextualKeywords = FrozenSet.ToFrozenSet(
    [
        "var", "dynamic", "nameof", "await", "async", "yield", "when", "where", "select", "from", "let",
        "join", "on", "equals", "into", "orderby", "ascending", "descending", "group", "by", "global", "partial",
        "record", "init", "required", "with", "and", "or", "not", "managed", "unmanaged", "nint", "nuint",
        "get", "set", "add", "remove", "notnull", "scoped", "file", "field", "allows", "extension",
    ], StringComparer.Ordinal);

    /// <param name="editedRoot">the re-parsed text with the completion in it</param>
    /// <param name="completion">where the completion's characters lie in <paramref name="editedRoot"/>'s text</param>
    public static NameCheck Check(CompletionContext context, SyntaxNode editedRoot, TextSpan completion)
    {
        var declared = new HashSet<string>(StringComparer.Ordinal);
        var undefined = new List<string>();
        var unresolved = new List<string>();
        var firstPossible = editedRoot.FindToken(Math.Max(0, completion.Start - 1));

        for (var token = firstPossible; token != default && token.SpanStart < completion.End; token = token.GetNextToken())
        {
            // A token that ends where the completion starts was there without it (the word typed so far, not continued).
            if (token.Span.End <= completion.Start || token.IsMissing || !token.IsKind(SyntaxKind.IdentifierToken)) continue;
            var name = token.ValueText;
            if (Declares(token)) { declared.Add(name); continue; }
            if (IsDiscard(token) || IsNotJudged(token)) continue;

            if (ReceiverOf(token) is { } receiver)
            {
                var members = receiver.Span.End <= completion.Start ? context.ReceiverMembers
                    : UsesAny(receiver, declared) ? null : ReceiverMembers(context, receiver);
                if (members is null) Add(unresolved, name);
                else if (!members.Contains(name)) Add(undefined, name);
                continue;
            }
            if (InitializedType(token) is { } created)
            {
                var members = CreatedTypeMembers(context, created);
                if (members is null) Add(unresolved, name);
                else if (!members.Contains(name)) Add(undefined, name);
                continue;
            }
            if (declared.Contains(name) || context.NamesInScope.Contains(name)) continue;
            if (ContextualKeywords.Contains(name)) continue;
            if (InAttributeName(token) && context.NamesInScope.Contains(name + "Attribute")) continue;
            Add(undefined, name);
        }
        return new NameCheck(undefined, unresolved);
    }

    private static void Add(List<string> names, string name)
    {
        if (!names.Contains(name)) names.Add(name);
    }

    /// <summary>The identifier names a declaration: a local, parameter, range, loop, catch or pattern variable, a label, a local function or type parameter.</summary>
    private static bool Declares(SyntaxToken token) => token.Parent switch
    {
        VariableDeclaratorSyntax declarator => declarator.Identifier == token,
        SingleVariableDesignationSyntax => true,
        ParameterSyntax parameter => parameter.Identifier == token,
        ForEachStatementSyntax loop => loop.Identifier == token,
        CatchDeclarationSyntax caught => caught.Identifier == token,
        LocalFunctionStatementSyntax function => function.Identifier == token,
        TypeParameterSyntax => true,
        LabeledStatementSyntax => true,
        FromClauseSyntax or LetClauseSyntax or JoinClauseSyntax or JoinIntoClauseSyntax or QueryContinuationSyntax => true,
        BaseTypeDeclarationSyntax or MethodDeclarationSyntax or PropertyDeclarationSyntax or EventDeclarationSyntax or DelegateDeclarationSyntax => true,
        _ => false,
    };

    /// <summary>`_ = x` and `out _` discard; a `_` anywhere else is a name like any other.</summary>
    private static bool IsDiscard(SyntaxToken token) =>
        token.ValueText == "_" && token.Parent is IdentifierNameSyntax name
        && (name.Parent is AssignmentExpressionSyntax assignment && assignment.Left == name
            || name.Parent is ArgumentSyntax argument && argument.RefKindKeyword.IsKind(SyntaxKind.OutKeyword));

    /// <summary>Names whose meaning needs more than a lookup: `name:` arguments, `goto` labels, `global::`, `->` members, `with { Name = … }`.</summary>
    private static bool IsNotJudged(SyntaxToken token) =>
        token.Parent?.Parent is NameColonSyntax or NameEqualsSyntax
        || token.Parent?.Parent is GotoStatementSyntax
        || token.Parent?.Parent is AliasQualifiedNameSyntax
        || token.Parent?.Parent is MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.PointerMemberAccessExpression }
        || token.Parent is IdentifierNameSyntax name && name.Parent is AssignmentExpressionSyntax assignment && assignment.Left == name
           && assignment.Parent is InitializerExpressionSyntax { RawKind: (int)SyntaxKind.WithInitializerExpression };

    /// <summary>For `Name` in `new T { Name = 1 }`: the object creation (whose type has the member); null for any other name.</summary>
    private static BaseObjectCreationExpressionSyntax? InitializedType(SyntaxToken token) =>
        token.Parent is IdentifierNameSyntax name && name.Parent is AssignmentExpressionSyntax assignment && assignment.Left == name
        && assignment.Parent is InitializerExpressionSyntax { RawKind: (int)SyntaxKind.ObjectInitializerExpression } initializer
            ? initializer.Parent as BaseObjectCreationExpressionSyntax : null;

    /// <summary>The members of the type an object creation names, bound speculatively at the caret; null for `new()` or a type that does not bind.</summary>
    private static FrozenSet<string>? CreatedTypeMembers(CompletionContext context, BaseObjectCreationExpressionSyntax creation)
    {
        if (creation is not ObjectCreationExpressionSyntax { Type: var typeSyntax }) return null;
        var type = context.SemanticModel.GetSpeculativeTypeInfo(context.PositionInRoot, typeSyntax, SpeculativeBindingOption.BindAsTypeOrNamespace).Type;
        return type is null ? null : CompletionScorer.MemberNames(context.SemanticModel, context.PositionInRoot, null, type);
    }

    /// <summary>For a name after `.` or `?.`, the expression before it; null for any other name.</summary>
    private static ExpressionSyntax? ReceiverOf(SyntaxToken token)
    {
        if (token.Parent is not SimpleNameSyntax name) return null;
        return name.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Name == name && access.IsKind(SyntaxKind.SimpleMemberAccessExpression) => access.Expression,
            QualifiedNameSyntax qualified when qualified.Right == name => qualified.Left,
            MemberBindingExpressionSyntax binding => binding.FirstAncestorOrSelf<ConditionalAccessExpressionSyntax>()?.Expression,
            _ => null,
        };
    }

    private static bool UsesAny(ExpressionSyntax receiver, HashSet<string> declared) =>
        declared.Count > 0 && receiver.DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && declared.Contains(t.ValueText));

    private static bool InAttributeName(SyntaxToken token) => token.Parent?.Parent is AttributeSyntax;

    /// <summary>The names the receiver has, bound speculatively at the caret; null where it does not bind.</summary>
    private static FrozenSet<string>? ReceiverMembers(CompletionContext context, ExpressionSyntax receiver)
    {
        var model = context.SemanticModel;
        var symbolInfo = model.GetSpeculativeSymbolInfo(context.PositionInRoot, receiver, SpeculativeBindingOption.BindAsExpression);
        var symbol = symbolInfo.Symbol ?? (symbolInfo.CandidateSymbols.Length == 1 ? symbolInfo.CandidateSymbols[0] : null);
        var type = symbol is INamespaceOrTypeSymbol ? null : model.GetSpeculativeTypeInfo(context.PositionInRoot, receiver, SpeculativeBindingOption.BindAsExpression).Type;
        return CompletionScorer.MemberNames(model, context.PositionInRoot, symbol, type);
    }
}
