using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Hosting;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Hosting;

/// <summary>
/// The code's defaults, appsettings.json and the configuration table of docs/configuration.md are three
/// statements of one truth: every setting is documented with its real default, and
/// appsettings.json never says something else.
/// </summary>
public sealed partial class ConfigurationReferenceTests
{
    /// <summary>Documented rows that are no options property of the gateway.</summary>
    private static readonly string[] NotOptions = ["OTEL_EXPORTER_OTLP_ENDPOINT", "Emulator:*"];

    [Fact]
    public void Every_setting_is_in_the_configuration_reference_with_its_real_default()
    {
        var documented = DocumentedTable();
        var defaults = CodeDefaults();
        var undocumented = defaults.Keys.Except(documented.Keys, StringComparer.Ordinal).ToList();
        Assert.True(undocumented.Count == 0, "Settings missing from the configuration table of docs/configuration.md: " + string.Join(", ", undocumented));

        foreach (var (key, text) in documented)
        {
            if (NotOptions.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }

            Assert.True(defaults.TryGetValue(key, out var setting), $"docs/configuration.md documents '{key}', which no options class has.");
            Assert.True(Same(setting.Type, setting.Default, text), $"docs/configuration.md: {key} defaults to '{text}', the code to '{setting.Default}'.");
        }
    }

    [Fact]
    public void Appsettings_json_says_what_the_code_does()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "src", "Gateway", "appsettings.json")))!.AsObject();
        var defaults = CodeDefaults();
        foreach (var (key, value) in Flatten(json, prefix: null))
        {
            if (key.StartsWith("Logging:", StringComparison.Ordinal) || key == "AllowedHosts")
            {
                continue;
            }

            Assert.True(defaults.TryGetValue(key, out var setting), $"appsettings.json sets '{key}', which no options class has.");
            Assert.True(Same(setting.Type, setting.Default, value), $"appsettings.json: {key} is '{value}', the code's default '{setting.Default}'.");
        }
    }

    /// <summary>Key to (type, default) for every bindable property of every options class, nested sections flattened.</summary>
    private static Dictionary<string, (Type Type, object? Default)> CodeDefaults()
    {
        var all = new Dictionary<string, (Type, object?)>(StringComparer.Ordinal);
        foreach (var (type, section) in OptionsKeys.Sections)
        {
            Collect(type, Activator.CreateInstance(type)!, section, all);
        }

        return all;
    }

    private static void Collect(Type type, object instance, string prefix, Dictionary<string, (Type, object?)> into)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            var key = $"{prefix}:{property.Name}";
            var value = property.GetValue(instance);
            if (property.PropertyType.IsClass && property.PropertyType.Namespace?.StartsWith("Gateway", StringComparison.Ordinal) == true)
            {
                Collect(property.PropertyType, value!, key, into);
            }
            else
            {
                into[key] = (property.PropertyType, value);
            }
        }
    }

    /// <summary>Whether the documented text means the default value.</summary>
    private static bool Same(Type type, object? value, string? text)
    {
        var empty = string.IsNullOrEmpty(text) || text == "*(empty)*";
        if (value is null || (value is Array { Length: 0 }) || (value is string { Length: 0 }))
        {
            return empty;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        return !empty && target switch
        {
            _ when target == typeof(TimeSpan) => TimeSpan.Parse(text!, CultureInfo.InvariantCulture) == (TimeSpan)value,
            _ when target == typeof(bool) => bool.Parse(text!) == (bool)value,
            _ when target == typeof(string) => text == (string)value,
            _ => Convert.ToDouble(text, CultureInfo.InvariantCulture) == Convert.ToDouble(value, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>
    /// The configuration table of docs/configuration.md (its "## Configuration" section) as key
    /// to default text. A row may name several settings: "`Upstream:Retry:MaxRetries` /
    /// `BaseDelay`" with "`2` / `00:00:00.200`"; a bare name is a sibling of the row's first key.
    /// </summary>
    private static Dictionary<string, string> DocumentedTable()
    {
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "configuration.md"));
        var start = page.IndexOf("\n## Configuration\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/configuration.md has no '## Configuration' section.");
        var table = page[(start + 1)..];
        var end = table.IndexOf("\n## ", 3, StringComparison.Ordinal);
        table = end < 0 ? table : table[..end];
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match row in Row().Matches(table))
        {
            var names = Cells(row.Groups["keys"].Value);
            var values = Cells(row.Groups["defaults"].Value);
            Assert.True(names.Count == values.Count, $"docs/configuration.md row '{row.Value.Trim()}' names {names.Count} settings and {values.Count} defaults.");
            var parent = names[0].Contains(':', StringComparison.Ordinal) ? names[0][..names[0].LastIndexOf(':')] : "";
            for (var i = 0; i < names.Count; i++)
            {
                rows[names[i].Contains(':', StringComparison.Ordinal) || parent.Length == 0 ? names[i] : $"{parent}:{names[i]}"] = values[i];
            }
        }

        return rows;
    }

    private static List<string> Cells(string cell) =>
        [.. cell.Split(" / ").Select(part => part.Trim()).Select(part => part.Trim('`')).Where(part => part.Length > 0)];

    private static IEnumerable<(string Key, string? Value)> Flatten(JsonObject node, string? prefix)
    {
        foreach (var (name, child) in node)
        {
            var key = prefix is null ? name : $"{prefix}:{name}";
            if (child is JsonObject nested)
            {
                foreach (var inner in Flatten(nested, key))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return (key, child?.ToString());
            }
        }
    }

    // | `Key` [/ `Sibling`...] [(note)] | `default` [/ `default`...] | meaning |
    [GeneratedRegex(@"^\| (?<keys>`[^|]+?)(?: \([^|]*\))? \| (?<defaults>[^|]+?) \| ", RegexOptions.Multiline)]
    private static partial Regex Row();
}
