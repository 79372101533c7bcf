package org.tcpjmx.agent.origins;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites the {@link HookedMethod}s of the bootstrap loader's classes so that each normal return
 * first calls the hook: {@code OriginHook.opened(this)} for a connect,
 * {@code OriginHook.accepted(result, this)} for an accept; an asynchronous accept's start calls
 * {@code OriginHook.accepting(this)}. Exceptional exits are left alone (a failed connect opened
 * nothing). Adds no frames, only instructions at the start or before a return, so the stack map
 * frames stay valid; ASM recomputes the max stack.
 */
final class OriginTransformer implements ClassFileTransformer {
    private static final Logger LOG = LoggerFactory.getLogger(OriginTransformer.class);
    static final String HOOK = "org/tcpjmx/agent/origins/hook/OriginHook";
    static final String OPENED = "(Ljava/lang/Object;)V";
    static final String ACCEPTED = "(Ljava/lang/Object;Ljava/lang/Object;)V";

    /** The classes rewritten since this transformer was added (tests and the Agent MBean read it). */
    private final Set<String> rewritten = ConcurrentHashMap.newKeySet();

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain domain, byte[] classfile) {
        if (loader != null || className == null) {
            return null;
        }
        List<HookedMethod> methods = HookedMethod.ALL.stream().filter(m -> m.owner().equals(className)).toList();
        if (methods.isEmpty()) {
            return null;
        }
        try {
            ClassReader reader = new ClassReader(classfile);
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            int[] hooked = {0};
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
                    for (HookedMethod m : methods) {
                        if ((access & Opcodes.ACC_STATIC) == 0 && m.matches(name, descriptor)) {
                            hooked[0]++;
                            return new ReturnHook(mv, m.hook());
                        }
                    }
                    return mv;
                }
            }, 0);
            if (hooked[0] == 0) {
                LOG.warn("origin tracking: none of the expected methods found in {} on this JDK; its sockets get no origin", className);
                return null;
            }
            rewritten.add(className.replace('/', '.'));
            return writer.toByteArray();
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("origin tracking: cannot rewrite {} ({}); its sockets get no origin", className, e.toString());
            return null;
        }
    }

    Set<String> rewritten() {
        return Set.copyOf(rewritten);
    }

    private static final class ReturnHook extends MethodVisitor {
        private final HookedMethod.Hook hook;

        ReturnHook(MethodVisitor mv, HookedMethod.Hook hook) {
            super(Opcodes.ASM9, mv);
            this.hook = hook;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            if (hook == HookedMethod.Hook.ACCEPTING) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "accepting", OPENED, false);
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN && hook != HookedMethod.Hook.ACCEPTING) {
                if (hook == HookedMethod.Hook.ACCEPTED && opcode == Opcodes.ARETURN) {
                    // accepted(result, this): the accepted socket and the server that accepted it.
                    super.visitInsn(Opcodes.DUP);
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "accepted", ACCEPTED, false);
                } else {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOK, "opened", OPENED, false);
                }
            }
            super.visitInsn(opcode);
        }
    }
}
