// Help pages whose option and argument descriptions are the settings properties' XML documentation comments
// (the /// <summary> over each property), read from the program's own XML documentation file beside it: a
// description is written once, over its property, and --help can never disagree with the source. Compiled into
// charrnn and, linked, into charrnn-server (its bench verbs). It lays out nothing itself: Spectre.Console.Cli's
// HelpProvider draws the page from the descriptions it is handed.
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace CharRnnCode.CommandLine;

/// <param name="settings">the app's settings, as Spectre's own help provider takes them</param>
/// <param name="settingsTypeOf">the settings class of a command (its properties carry the options), or null for a branch</param>
internal partial class DocumentedHelp(ICommandAppSettings settings, Func<ICommandInfo, Type?> settingsTypeOf) : HelpProvider(settings)
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> OwnSummaries =
        new(() => LoadSummaries(typeof(DocumentedHelp).Assembly.GetName().Name + ".xml"));

    public override IEnumerable<IRenderable> GetOptions(ICommandModel model, ICommandInfo? command) =>
        base.GetOptions(model, command is null ? null : Documented(command));

    public override IEnumerable<IRenderable> GetArguments(ICommandModel model, ICommandInfo? command) =>
        base.GetArguments(model, command is null ? null : Documented(command));

    /// <summary>The summary over <paramref name="property"/> where it is declared, or null where it has none.</summary>
    private static string? SummaryOf(PropertyInfo property) =>
        OwnSummaries.Value.GetValueOrDefault($"P:{property.DeclaringType!.FullName!.Replace('+', '.')}.{property.Name}");

    /// <summary>
    /// The &lt;summary&gt; of every documented member in the XML documentation file <paramref name="fileName"/> beside the
    /// program, by member id ("P:Namespace.Type.Property"), with its white space folded. A missing file gives none:
    /// help must always print.
    /// </summary>
    protected static IReadOnlyDictionary<string, string> LoadSummaries(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, fileName);
        if (!File.Exists(path)) return new Dictionary<string, string>();
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Whitespace().Replace(m.Element("summary")!.Value, " ").Trim());
    }

    private ICommandInfo Documented(ICommandInfo command)
    {
        if (settingsTypeOf(command) is not { } type) return command;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance);
        string? Describe(Func<PropertyInfo, bool> names) =>
            properties.FirstOrDefault(names) is { } property && SummaryOf(property) is { } summary ? Markup.Escape(summary) : null;
        var parameters = command.Parameters.Select(parameter => parameter switch
        {
            ICommandOption option => new DocumentedOption(option, Describe(p => p.GetCustomAttribute<CommandOptionAttribute>() is { } a
                && a.LongNames.SequenceEqual(option.LongNames) && a.ShortNames.SequenceEqual(option.ShortNames)) ?? option.Description),
            ICommandArgument argument => new DocumentedArgument(argument, Describe(p => p.GetCustomAttribute<CommandArgumentAttribute>() is { } a
                && a.ValueName == argument.Value) ?? argument.Description),
            _ => parameter,
        }).ToList();
        return new DocumentedCommand(command, parameters);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    private sealed class DocumentedCommand(ICommandInfo inner, IReadOnlyList<ICommandParameter> parameters) : ICommandInfo
    {
        public string Name => inner.Name;
        public string? Description => inner.Description;
        public bool IsBranch => inner.IsBranch;
        public bool IsDefaultCommand => inner.IsDefaultCommand;
        public bool IsHidden => inner.IsHidden;
        public IReadOnlyList<ICommandParameter> Parameters => parameters;
        public ICommandInfo? Parent => inner.Parent;
        public IReadOnlyList<string[]> Examples => inner.Examples;
        public IReadOnlyList<ICommandInfo> Commands => inner.Commands;
        public ICommandInfo? DefaultCommand => inner.DefaultCommand;
    }

    /// <summary>What options and arguments share: all of it the original's, but the description.</summary>
    private abstract class DocumentedParameter(ICommandParameter inner, string? description) : ICommandParameter
    {
        public bool IsFlag => inner.IsFlag;
        public bool IsRequired => inner.IsRequired;
        public string? Description => description;
        public System.ComponentModel.DefaultValueAttribute? DefaultValue => inner.DefaultValue;
        public bool IsHidden => inner.IsHidden;
    }

    private sealed class DocumentedOption(ICommandOption inner, string? description) : DocumentedParameter(inner, description), ICommandOption
    {
        public IReadOnlyList<string> LongNames => inner.LongNames;
        public IReadOnlyList<string> ShortNames => inner.ShortNames;
        public string? ValueName => inner.ValueName;
        public bool ValueIsOptional => inner.ValueIsOptional;
    }

    private sealed class DocumentedArgument(ICommandArgument inner, string? description) : DocumentedParameter(inner, description), ICommandArgument
    {
        public string Value => inner.Value;
        public int Position => inner.Position;
    }
}
