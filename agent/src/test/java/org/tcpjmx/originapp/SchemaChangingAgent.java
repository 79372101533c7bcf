package org.tcpjmx.originapp;

import java.io.InputStream;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.Socket;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Another agent, as some are: whenever {@code java.net.Socket} is retransformed, its transformer adds
 * a method to it. The JVM cannot add a method to a loaded class, so every retransformation of Socket
 * fails (UnsupportedOperationException) for every agent in this JVM, tcpjmx's included.
 */
public final class SchemaChangingAgent {
    private SchemaChangingAgent() {
    }

    public static void premain(String args, Instrumentation inst) throws Exception {
        // Once before registering: a transformer that loads classes on its first call (ASM's) while
        // the JVM loads one of those for it fails with a ClassCircularityError.
        try (InputStream in = ClassLoader.getSystemResourceAsStream("java/net/Socket.class")) {
            withAddedMethod(in.readAllBytes());
        }
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefined, ProtectionDomain pd, byte[] bytes) {
                return redefined == Socket.class ? withAddedMethod(bytes) : null;
            }
        }, true);
        System.err.println("schema-changing agent: transforms every retransformation of java.net.Socket");
    }

    private static byte[] withAddedMethod(byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visitEnd() {
                MethodVisitor mv = super.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "addedByAnotherAgent", "()V", null, null);
                mv.visitCode();
                mv.visitInsn(Opcodes.RETURN);
                mv.visitMaxs(0, 0);
                mv.visitEnd();
                super.visitEnd();
            }
        }, 0);
        return writer.toByteArray();
    }
}
