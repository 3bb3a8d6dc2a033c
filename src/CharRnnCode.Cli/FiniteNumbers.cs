// Rejects NaN and infinity in every floating-point option of every verb. .NET parses "NaN" and
// "Infinity" as doubles, and no range check catches NaN (every comparison with it is false), so a
// --temperature NaN would otherwise run and print garbage with exit code 0.
using System.Globalization;
using System.Reflection;
using CharRnnCode.Common;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli;

internal sealed class FiniteNumbers : ICommandInterceptor
{
    // Settings whose Validate compares numbers call Problem first (Spectre validates before it intercepts), so
    // that NaN is reported as what it is rather than as out of range.
    public void Intercept(CommandContext context, CommandSettings settings)
    {
        if (Problem(settings) is { } problem) throw new UserError(problem);
    }

    /// <summary>The first floating-point option of <paramref name="settings"/> that is NaN or infinite, as an error message.</summary>
    public static string? Problem(CommandSettings settings)
    {
        foreach (var property in settings.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetCustomAttribute<CommandOptionAttribute>() is not { } option) continue;
            var value = property.GetValue(settings) switch
            {
                double d => d,
                float f => (double)f,
                _ => (double?)null,
            };
            if (value is double number && !double.IsFinite(number))
                return $"--{option.LongNames.FirstOrDefault() ?? property.Name} must be a finite number (got {number.ToString(CultureInfo.InvariantCulture)}).";
        }
        return null;
    }
}
