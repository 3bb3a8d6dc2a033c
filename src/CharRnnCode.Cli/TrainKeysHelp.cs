// `charrnn train --help` ends with every key --set takes: its default and the comment it has in ModelConfig
// or TrainConfig (read from the model library's XML documentation), so the help and the source never
// disagree. Every other help page is Spectre.Console.Cli's own.
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CharRnnCode.Inference;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace CharRnnCode.Cli;

internal sealed partial class TrainKeysHelp(ICommandAppSettings settings) : HelpProvider(settings)
{
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command)
    {
        if (command is not { Name: "train", Parent: null }) return base.GetFooter(model, command);
        var summaries = LoadSummaries();
        var grid = new Grid().AddColumn(new GridColumn().PadLeft(4).PadRight(2)).AddColumn(new GridColumn().PadRight(2)).AddColumn();
        void Keys<T>(string section, T defaults) where T : notnull
        {
            grid.AddRow(new Markup($"[yellow]{section}[/]"), new Text(""), new Text(""));
            foreach (var property in typeof(T).GetProperties().Where(p => p.CanWrite))
                grid.AddRow(
                    new Text(JsonNamingPolicy.CamelCase.ConvertName(property.Name)),
                    new Text(Convert.ToString(property.GetValue(defaults), CultureInfo.InvariantCulture) ?? ""),
                    new Text(summaries.GetValueOrDefault($"P:{typeof(T).FullName}.{property.Name}", "")));
        }
        Keys("model", new ModelConfig());
        Keys("train", new TrainConfig());
        return
        [
            .. base.GetFooter(model, command),
            new Markup("\n[yellow]SET KEYS:[/] --set KEY=VALUE, with the default when the preset does not set it (a resumed run changes training keys only)\n"),
            grid,
        ];
    }

    // The <summary> of every documented member in CharRnnCode.Inference.xml, which the build copies beside charrnn.
    // A missing file gives empty comments, not an error: help must always print.
    private static Dictionary<string, string> LoadSummaries()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "CharRnnCode.Inference.xml");
        if (!File.Exists(path)) return [];
        return XDocument.Load(path).Descendants("member")
            .Where(m => m.Element("summary") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => Whitespace().Replace(m.Element("summary")!.Value, " ").Trim());
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
