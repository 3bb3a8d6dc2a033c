// Which options each verb takes, recorded as the verbs are registered, so that a parse error about an
// unknown option can name the closest real one ("did you mean --length?"), and help can find the comments
// over a verb's options. Spectre.Console.Cli's strict parsing finds the unknown option; it suggests close
// matches only for verbs, not for options.
using System.Reflection;
using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;

namespace CharRnnCode.Cli;

internal sealed class VerbOptions
{
    private readonly Dictionary<string, Type> _settingsByVerb = [];

    public ICommandConfigurator Add<TCommand>(IConfigurator config, string verb) where TCommand : class, ICommand
    {
        _settingsByVerb[verb] = SettingsTypeOf(typeof(TCommand));
        return config.AddCommand<TCommand>(verb);
    }

    /// <summary>Registers a verb of a branch; <paramref name="path"/> is the whole path, e.g. "bench train".</summary>
    public ICommandConfigurator Add<TCommand>(IConfigurator<CommandSettings> branch, string path) where TCommand : class, ICommandLimiter<CommandSettings>
    {
        _settingsByVerb[path] = SettingsTypeOf(typeof(TCommand));
        return branch.AddCommand<TCommand>(path[(path.LastIndexOf(' ') + 1)..]);
    }

    /// <summary>The settings class of a verb as help names it (its parents first: sweep, then plan), or null for a branch.</summary>
    public Type? SettingsTypeOf(ICommandInfo command)
    {
        var path = command.Name;
        for (var parent = command.Parent; parent is not null; parent = parent.Parent) path = $"{parent.Name} {path}";
        return _settingsByVerb.GetValueOrDefault(path);
    }

    /// <summary>The visible long options (with their dashes) of the verb the arguments name, or none.</summary>
    public IReadOnlyList<string> OptionsOf(IReadOnlyList<string> arguments)
    {
        var verb = _settingsByVerb.Keys
            .Where(path => path.Split(' ').SequenceEqual(arguments.Take(path.Split(' ').Length)))
            .MaxBy(path => path.Length);
        if (verb is null) return [];
        return _settingsByVerb[verb].GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => p.GetCustomAttribute<CommandOptionAttribute>())
            .Where(a => a is { IsHidden: false })
            .SelectMany(a => a!.LongNames.Select(n => "--" + n))
            .ToList();
    }

    /// <summary>The option closest to <paramref name="unknown"/> by edit distance (a swap counts as one edit), if any is close.</summary>
    public static string? ClosestOption(string unknown, IEnumerable<string> options)
    {
        var bare = unknown.TrimStart('-');
        var best = options
            .Select(option => (Option: option, Distance: EditDistance(bare, option.TrimStart('-'))))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return best.Option is not null && best.Distance <= Math.Max(2, bare.Length / 3) ? best.Option : null;
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps (lenght -> length is 1).
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }

    private static Type SettingsTypeOf(Type command)
    {
        for (var type = command; type is not null; type = type.BaseType)
            if (type.IsGenericType && type.GetGenericArguments() is [var settings] && typeof(CommandSettings).IsAssignableFrom(settings))
                return settings;
        throw new InvalidOperationException($"{command.Name} has no settings type.");
    }
}
