using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Infra.Settings;

namespace Infra.Packaging;

/// <summary>
/// Whether a <c>bootstrap</c> can start on Lambda's provided.al2023 for the chosen architecture: an ELF
/// executable for the other architecture fails with "exec format error", and one that needs a glibc newer
/// than Amazon Linux 2023's 2.34 fails to load. Both would deploy fine and break at the first invocation,
/// so the synth refuses them. A script (as test stand-ins use) is not checked.
/// </summary>
public static class BootstrapCheck
{
    /// <summary>The glibc of Amazon Linux 2023, which provided.al2023 runs on.</summary>
    public static readonly Version LambdaGlibc = new(2, 34);

    private const ushort MachineX86_64 = 62;
    private const ushort MachineAarch64 = 183;
    private static readonly byte[] GlibcMarker = "GLIBC_2."u8.ToArray();

    /// <summary>Why the executable cannot run on Lambda for <paramref name="target"/>, or null when it can.</summary>
    public static string? Problem(ReadOnlySpan<byte> file, TargetArchitecture target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (file.Length < 20 || !file[..4].SequenceEqual("\u007fELF"u8))
        {
            return null;
        }

        // e_machine, in the file's byte order (EI_DATA: 1 little-endian, 2 big-endian).
        var machine = file[5] == 2 ? BinaryPrimitives.ReadUInt16BigEndian(file[18..]) : BinaryPrimitives.ReadUInt16LittleEndian(file[18..]);
        var actual = machine switch
        {
            MachineX86_64 => TargetArchitecture.X86_64,
            MachineAarch64 => TargetArchitecture.Arm64,
            _ => null,
        };
        if (actual != target)
        {
            var name = actual?.Name ?? $"ELF machine {machine.ToString(CultureInfo.InvariantCulture)}";
            return $"is an {name} executable, not {target.Name} ({target.RuntimeIdentifier})";
        }

        var glibc = NewestGlibc(file);
        return glibc is not null && glibc > LambdaGlibc
            ? $"needs glibc {glibc}, newer than the {LambdaGlibc} of Lambda's provided.al2023 (Amazon Linux 2023)"
            : null;
    }

    /// <summary>The newest <c>GLIBC_2.x</c> symbol version the file names, or null when it names none.</summary>
    public static Version? NewestGlibc(ReadOnlySpan<byte> file)
    {
        Version? newest = null;
        var rest = file;
        int at;
        while ((at = rest.IndexOf(GlibcMarker)) >= 0)
        {
            rest = rest[(at + GlibcMarker.Length)..];
            var length = 0;
            while (length < rest.Length && (char.IsAsciiDigit((char)rest[length]) || (rest[length] == '.' && length > 0)))
            {
                length++;
            }

            var text = "2." + Encoding.ASCII.GetString(rest[..length]).TrimEnd('.');
            if (length > 0 && Version.TryParse(text, out var version) && (newest is null || version > newest))
            {
                newest = version;
            }
        }

        return newest;
    }
}
