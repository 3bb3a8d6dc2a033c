// charrnn's help: every page's option descriptions are the options' own comments (DocumentedHelp), and
// `charrnn train --help` ends with every key --set takes: its default and the comment it has in ModelConfig
// or TrainConfig (read from the model library's XML documentation), so the help and the source never disagree.
using System.Globalization;
using System.Text.Json;
using CharRnnCode.CommandLine;
using CharRnnCode.Inference;
using Spectre.Console;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace CharRnnCode.Cli;

internal sealed class TrainKeysHelp(ICommandAppSettings settings, Func<ICommandInfo, Type?> settingsTypeOf)
    : DocumentedHelp(settings, settingsTypeOf)
{
    public override IEnumerable<IRenderable> GetFooter(ICommandModel model, ICommandInfo? command)
    {
        if (command is not { Name: "train", Parent: null }) return base.GetFooter(model, command);
        var summaries = LoadSummaries("CharRnnCode.Inference.xml");
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
}
