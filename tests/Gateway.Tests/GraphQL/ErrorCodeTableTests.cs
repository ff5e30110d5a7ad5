using System.Text.RegularExpressions;
using Gateway.GraphQL;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.GraphQL;

/// <summary>The codes in code and the "Errors" table of docs/errors.md are the same list, so neither can drift.</summary>
public sealed partial class ErrorCodeTableTests
{
    [Fact]
    public void The_documented_error_table_lists_exactly_the_codes_in_ErrorCodes()
    {
        var documented = DocumentedCodes();

        Assert.Equal(documented.Count, documented.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(ErrorCodes.All.Order(StringComparer.Ordinal), documented.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ErrorCodes_lists_every_constant_once()
    {
        Assert.Contains(ErrorCodes.HttpMethodNotAllowed, ErrorCodes.All);
        Assert.Contains(ErrorCodes.Timeout, ErrorCodes.All);
        Assert.Equal(ErrorCodes.All.Count, ErrorCodes.All.Distinct(StringComparer.Ordinal).Count());
    }

    // A row's first cell; the header's `extensions.code` is no code.
    [GeneratedRegex(@"^\| `([A-Z_]+)` \|")]
    private static partial Regex CodeCell();

    /// <summary>The first cell of each row of the table under "## Errors", up to the next section.</summary>
    private static List<string> DocumentedCodes()
    {
        var lines = File.ReadAllLines(Path.Combine(Repository.Root, "docs", "errors.md"));
        var start = Array.IndexOf(lines, "## Errors");
        Assert.True(start >= 0, "docs/errors.md has no '## Errors' section.");
        return
        [
            .. lines.Skip(start + 1)
                .TakeWhile(line => !line.StartsWith("## ", StringComparison.Ordinal))
                .Select(line => CodeCell().Match(line))
                .Where(match => match.Success)
                .Select(match => match.Groups[1].Value),
        ];
    }
}
