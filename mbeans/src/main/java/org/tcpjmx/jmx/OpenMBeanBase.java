package org.tcpjmx.jmx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.ImmutableDescriptor;
import javax.management.InvalidAttributeValueException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.ReflectionException;
import javax.management.RuntimeOperationsException;
import javax.management.openmbean.OpenMBeanAttributeInfo;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfo;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfo;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenMBeanParameterInfo;
import javax.management.openmbean.OpenMBeanParameterInfoSupport;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A hand-written Open MBean: every attribute, operation and parameter has its own name and
 * description, and only open types cross the wire, so JConsole, VisualVM, Jolokia and
 * jmx_exporter need none of our classes.
 *
 * <p>Subclasses declare their attributes and operations in their constructor. Errors reach
 * clients as JDK exceptions only (a project exception, or a JNA one, would not deserialize on a
 * client without our jar):
 * <ul>
 * <li>bad arguments: {@link IllegalArgumentException} with the message; the MBean server hands
 *     it to clients wrapped in a {@link javax.management.RuntimeMBeanException}, which Jolokia
 *     answers with HTTP 400 and the message;</li>
 * <li>refusals (a read-only agent): {@link SecurityException}, Jolokia's 403;</li>
 * <li>busy (no turn or room in the answer budget in time):
 *     {@link java.util.concurrent.RejectedExecutionException} whose message starts with "busy:";</li>
 * <li>anything else (a netlink failure, an unreadable file): {@link IllegalStateException} whose
 *     message says what failed and why, the full trace going to the log only.</li>
 * </ul>
 */
public abstract class OpenMBeanBase implements DynamicMBean {
    private static final Logger LOG = LoggerFactory.getLogger(OpenMBeanBase.class);

    private final String description;
    private final Map<String, OpenAttribute> attributes = new LinkedHashMap<>();
    private final Map<String, OpenOperation> operations = new LinkedHashMap<>();
    private volatile MBeanInfo info;

    /** @param description what the MBean as a whole offers */
    protected OpenMBeanBase(String description) {
        this.description = description;
    }

    /** Declares an attribute; call from the constructor only. */
    protected final void attribute(OpenAttribute a) {
        if (info != null || attributes.putIfAbsent(a.name(), a) != null) {
            throw new IllegalStateException("attribute " + a.name() + " declared twice or too late");
        }
    }

    /** Declares an operation; call from the constructor only. */
    protected final void operation(OpenOperation o) {
        if (info != null || operations.putIfAbsent(o.name(), o) != null) {
            throw new IllegalStateException("operation " + o.name() + " declared twice (no overloads) or too late");
        }
    }

    /** The notifications this MBean emits; none unless overridden. */
    protected MBeanNotificationInfo[] notificationInfo() {
        return new MBeanNotificationInfo[0];
    }

    @Override
    public final Object getAttribute(String name) throws AttributeNotFoundException {
        return read(find(name), ReadContext.of(this, 1));
    }

    @Override
    public final AttributeList getAttributes(String[] names) {
        AttributeList out = new AttributeList();
        if (names == null) {
            return out;
        }
        ReadContext context = ReadContext.of(this, names.length);
        for (String name : names) {
            try {
                out.add(new Attribute(name, read(find(name), context)));
            } catch (AttributeNotFoundException | RuntimeException e) {
                // The JMX contract: attributes that cannot be read are left out of the list.
                LOG.debug("attribute {} left out of getAttributes: {}", name, e.toString());
            }
        }
        return out;
    }

    @Override
    public final void setAttribute(Attribute attribute) throws AttributeNotFoundException, InvalidAttributeValueException {
        if (attribute == null) {
            throw new RuntimeOperationsException(new IllegalArgumentException("attribute is null"), "attribute is null");
        }
        OpenAttribute a = find(attribute.getName());
        if (a.setter().isEmpty()) {
            throw new AttributeNotFoundException(a.name() + " is read-only");
        }
        Object value;
        try {
            value = IntegralValues.fit(a.type(), attribute.getValue(), a.name()).orElse(attribute.getValue());
        } catch (IllegalArgumentException e) {
            throw new InvalidAttributeValueException(e.getMessage());
        }
        if (!a.type().isValue(value)) {
            throw new InvalidAttributeValueException(a.name() + " takes a " + a.type().getClassName() + ", not "
                    + (value == null ? "null" : value.getClass().getName() + " '" + value + "'"));
        }
        try {
            a.setter().get().set(value);
        } catch (RuntimeException | LinkageError e) {
            throw clientSafe("setting " + a.name(), e);
        }
    }

    @Override
    public final AttributeList setAttributes(AttributeList list) {
        AttributeList done = new AttributeList();
        if (list == null) {
            return done;
        }
        for (Attribute attribute : list.asList()) {
            try {
                setAttribute(attribute);
                done.add(new Attribute(attribute.getName(), getAttribute(attribute.getName())));
            } catch (Exception e) {
                LOG.debug("attribute {} not set by setAttributes: {}", attribute.getName(), e.toString());
            }
        }
        return done;
    }

    @Override
    public final Object invoke(String name, Object[] params, String[] signature) throws ReflectionException {
        OpenOperation op = name == null ? null : operations.get(name);
        Object[] args = params == null ? new Object[0] : params;
        if (op == null || args.length != op.parameters().size() || !signatureMatches(op, signature)) {
            throw new ReflectionException(new NoSuchMethodException(name + describeSignature(signature)),
                    "no operation " + name + describeSignature(signature) + "; operations: " + operationList());
        }
        try {
            args = args.clone();
            for (int i = 0; i < args.length; i++) {
                OpenParameter p = op.parameters().get(i);
                if (args[i] != null) {
                    args[i] = IntegralValues.fit(p.type(), args[i], name + ": parameter '" + p.name() + "'").orElse(args[i]);
                }
                if (args[i] != null && !p.type().isValue(args[i])) {
                    throw new IllegalArgumentException(name + ": parameter '" + p.name() + "' takes a "
                            + p.type().getClassName() + ", not " + args[i].getClass().getName() + " '" + args[i] + "'");
                }
            }
            return op.body().invoke(new Arguments(name, op.parameters(), args));
        } catch (RuntimeException | LinkageError e) {
            throw clientSafe(name, e);
        }
    }

    @Override
    public final MBeanInfo getMBeanInfo() {
        MBeanInfo i = info;
        if (i == null) {
            i = buildInfo();
            info = i;
        }
        return i;
    }

    private MBeanInfo buildInfo() {
        List<OpenMBeanAttributeInfo> attrs = new ArrayList<>();
        for (OpenAttribute a : attributes.values()) {
            attrs.add(new OpenMBeanAttributeInfoSupport(a.name(), a.description(), a.type(), true, a.setter().isPresent(),
                    false, a.descriptor()));
        }
        List<OpenMBeanOperationInfo> ops = new ArrayList<>();
        for (OpenOperation o : operations.values()) {
            OpenMBeanParameterInfo[] sig = new OpenMBeanParameterInfo[o.parameters().size()];
            for (int k = 0; k < sig.length; k++) {
                OpenParameter p = o.parameters().get(k);
                sig[k] = new OpenMBeanParameterInfoSupport(p.name(), p.description(), p.type());
            }
            ops.add(new OpenMBeanOperationInfoSupport(o.name(), o.description(), sig, o.returnType(), o.impact()));
        }
        return new OpenMBeanInfoSupport(getClass().getName(), description,
                attrs.toArray(new OpenMBeanAttributeInfo[0]), new OpenMBeanConstructorInfo[0],
                ops.toArray(new OpenMBeanOperationInfo[0]), notificationInfo(),
                new ImmutableDescriptor("immutableInfo=true"));
    }

    private OpenAttribute find(String name) throws AttributeNotFoundException {
        OpenAttribute a = name == null ? null : attributes.get(name);
        if (a == null) {
            throw new AttributeNotFoundException("no attribute '" + name + "'; attributes: " + String.join(", ", attributes.keySet()));
        }
        return a;
    }

    private Object read(OpenAttribute a, ReadContext context) {
        try {
            return a.getter().get(context);
        } catch (RuntimeException | LinkageError e) {
            throw clientSafe("reading " + a.name(), e);
        }
    }

    private static boolean signatureMatches(OpenOperation op, String[] signature) {
        if (signature == null || signature.length == 0) {
            // Not given (RMI turns a null signature into an empty one): operations are never overloaded.
            return true;
        }
        if (signature.length != op.parameters().size()) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            OpenType<?> t = op.parameters().get(i).type();
            String s = signature[i];
            if (!t.getClassName().equals(s) && !primitiveName(t).equals(s)) {
                return false;
            }
        }
        return true;
    }

    /** JConsole and MXBean-minded clients pass "int" where the open type says java.lang.Integer. */
    private static String primitiveName(OpenType<?> t) {
        if (SimpleType.INTEGER.equals(t)) {
            return "int";
        }
        if (SimpleType.LONG.equals(t)) {
            return "long";
        }
        if (SimpleType.BOOLEAN.equals(t)) {
            return "boolean";
        }
        if (SimpleType.DOUBLE.equals(t)) {
            return "double";
        }
        return "";
    }

    private static String describeSignature(String[] signature) {
        return signature == null ? "(...)" : "(" + String.join(", ", signature) + ")";
    }

    private String operationList() {
        List<String> out = new ArrayList<>();
        for (OpenOperation o : operations.values()) {
            List<String> ps = new ArrayList<>();
            for (OpenParameter p : o.parameters()) {
                ps.add(p.type().getClassName() + " " + p.name());
            }
            out.add(o.name() + "(" + String.join(", ", ps) + ")");
        }
        return String.join(", ", out);
    }

    /**
     * Turns any failure into a JDK exception with a clear message and no foreign cause, so a client
     * without our classes can deserialize it and a user reads what went wrong.
     */
    static RuntimeException clientSafe(String what, Throwable e) {
        if (e instanceof IllegalArgumentException) {
            LOG.debug("{}: bad argument: {}", what, e.getMessage());
            return new IllegalArgumentException(e.getMessage());
        }
        if (e instanceof SecurityException) {
            return new SecurityException(e.getMessage());
        }
        if (e instanceof RejectedExecutionException) {
            // Busy (the answer budget's turn or room did not come in time): an answer, not a failure.
            LOG.debug("{}: {}", what, e.getMessage());
            return new RejectedExecutionException(e.getMessage());
        }
        LOG.warn("{} failed", what, e);
        boolean plain = e.getMessage() == null || e instanceof NullPointerException || e instanceof ClassCastException
                || e instanceof IndexOutOfBoundsException;
        String why = plain ? "internal error (" + e.getClass().getSimpleName() + "); the application's log has the details"
                : e.getMessage();
        return new IllegalStateException(what + " failed: " + why);
    }
}
