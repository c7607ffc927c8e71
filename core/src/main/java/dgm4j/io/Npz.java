package dgm4j.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * NumPy .npz export: a zip (entries stored, like {@code numpy.savez}) of one .npy file per tensor plus
 * {@code metadata.json} (the model metadata without "tensor_sha256"). The .npy layout follows the NumPy format spec (numpy.lib.format): magic "\x93NUMPY", version
 * 1.0, a little-endian uint16 header length, then an ASCII Python dict literal {'descr', 'fortran_order', 'shape'}
 * padded with spaces and ended by '\n' so the data starts at a multiple of 64, then the raw C-order data.
 */
final class Npz {
    private Npz() {}

    /** Fixed entry time so that the same model always exports to the same bytes. */
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    static void checkEntryName(String tensor) {
        boolean bad = tensor.startsWith("/") || tensor.contains("\\") || tensor.chars().anyMatch(c -> c < 0x20);
        for (String part : tensor.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) bad = true;
        }
        if (bad) throw new IllegalArgumentException("tensor name " + Json.quote(tensor) + " cannot be a .npz entry name");
    }

    static void write(ModelFile model, WritableByteChannel channel) throws IOException {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, Tensor> e : model.tensors().entrySet()) {
            Tensor t = e.getValue();
            byte[] header = npyHeader(t);
            byte[] data = t.rawBytes();
            CRC32 crc = new CRC32();
            crc.update(header);
            crc.update(data);
            putStored(zip, e.getKey() + ".npy", crc.getValue(), (long) header.length + data.length);
            zip.write(header);
            zip.write(data);
            zip.closeEntry();
        }
        Map<String, String> metadata = new LinkedHashMap<>(model.metadata());
        metadata.remove(ModelFile.TENSOR_SHA256_KEY); // a checksum of the safetensors data section, meaningless here
        byte[] md = Json.write(metadata).getBytes(StandardCharsets.UTF_8);
        CRC32 crc = new CRC32();
        crc.update(md);
        putStored(zip, "metadata.json", crc.getValue(), md.length);
        zip.write(md);
        zip.closeEntry();
        zip.finish(); // not close(): the caller still forces and closes the channel
        out.flush();
    }

    private static void putStored(ZipOutputStream zip, String name, long crc, long size) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setMethod(ZipEntry.STORED);
        entry.setCrc(crc);
        entry.setSize(size);
        entry.setCompressedSize(size);
        entry.setTimeLocal(ENTRY_TIME);
        zip.putNextEntry(entry);
    }

    /** The .npy v1.0 preamble and header for a tensor. */
    static byte[] npyHeader(Tensor t) {
        StringBuilder shape = new StringBuilder("(");
        long[] dims = t.shape();
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) shape.append(", ");
            shape.append(dims[i]);
        }
        if (dims.length == 1) shape.append(',');
        shape.append(')');
        String dict = "{'descr': '" + t.dtype().npyDescr() + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int unpadded = 10 + dict.length() + 1; // magic 6 + version 2 + length 2, dict, '\n'
        int total = (unpadded + 63) / 64 * 64;
        int headerLen = total - 10;
        byte[] out = new byte[total];
        out[0] = (byte) 0x93;
        System.arraycopy("NUMPY".getBytes(StandardCharsets.US_ASCII), 0, out, 1, 5);
        out[6] = 1; // major
        out[7] = 0; // minor
        out[8] = (byte) headerLen;
        out[9] = (byte) (headerLen >>> 8);
        byte[] d = dict.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(d, 0, out, 10, d.length);
        for (int i = 10 + d.length; i < total - 1; i++) out[i] = ' ';
        out[total - 1] = '\n';
        return out;
    }
}
