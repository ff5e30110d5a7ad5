using System.Reflection;
using System.Text.RegularExpressions;

namespace Gateway.Hosting;

/// <summary>
/// Translates the options validators' member paths ("UpstreamOptions.Budget.PermitLimit") into
/// the configuration keys people actually set ("Upstream:Budget:PermitLimit"). Every options
/// class of the gateway declares its section in a <c>const string Section</c>.
/// </summary>
public static partial class OptionsKeys
{
    /// <summary>Every options class of the gateway and the configuration section it binds.</summary>
    public static IReadOnlyDictionary<Type, string> Sections { get; } = typeof(OptionsKeys).Assembly.GetTypes()
        .Select(type => (type, field: type.GetField("Section", BindingFlags.Public | BindingFlags.Static)))
        .Where(pair => pair.field is { IsLiteral: true } && pair.field.FieldType == typeof(string))
        .ToDictionary(pair => pair.type, pair => (string)pair.field!.GetRawConstantValue()!);

    private static readonly Dictionary<string, string> SectionsByTypeName =
        Sections.ToDictionary(pair => pair.Key.Name, pair => pair.Value, StringComparer.Ordinal);

    /// <summary>A validation failure with every member path in it written as its configuration key.</summary>
    public static string Describe(string failure)
    {
        ArgumentNullException.ThrowIfNull(failure);

        // The generated validators lead with the bare member name ("PermitLimit: The field ..."),
        // which the full key in the message makes redundant.
        var keyed = MemberPath().Replace(failure, match => SectionsByTypeName.TryGetValue(match.Groups["type"].Value, out var section)
            ? section + match.Groups["members"].Value.Replace('.', ':')
            : match.Value);
        return LeadingMemberName().Replace(keyed, "");
    }

    [GeneratedRegex(@"\b(?<type>[A-Z]\w*Options)(?<members>(\.\w+)+)")]
    private static partial Regex MemberPath();

    [GeneratedRegex(@"^\w+: (?=The field )")]
    private static partial Regex LeadingMemberName();
}
