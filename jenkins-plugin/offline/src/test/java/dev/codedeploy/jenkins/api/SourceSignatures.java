package dev.codedeploy.jenkins.api;

import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.StaticJavaParser;
import com.github.javaparser.ast.CompilationUnit;
import com.github.javaparser.ast.ImportDeclaration;
import com.github.javaparser.ast.Modifier;
import com.github.javaparser.ast.NodeList;
import com.github.javaparser.ast.body.AnnotationDeclaration;
import com.github.javaparser.ast.body.AnnotationMemberDeclaration;
import com.github.javaparser.ast.body.BodyDeclaration;
import com.github.javaparser.ast.body.CallableDeclaration;
import com.github.javaparser.ast.body.ClassOrInterfaceDeclaration;
import com.github.javaparser.ast.body.ConstructorDeclaration;
import com.github.javaparser.ast.body.EnumConstantDeclaration;
import com.github.javaparser.ast.body.EnumDeclaration;
import com.github.javaparser.ast.body.FieldDeclaration;
import com.github.javaparser.ast.body.MethodDeclaration;
import com.github.javaparser.ast.body.Parameter;
import com.github.javaparser.ast.body.TypeDeclaration;
import com.github.javaparser.ast.body.VariableDeclarator;
import com.github.javaparser.ast.nodeTypes.NodeWithModifiers;
import com.github.javaparser.ast.type.ArrayType;
import com.github.javaparser.ast.type.ClassOrInterfaceType;
import com.github.javaparser.ast.type.PrimitiveType;
import com.github.javaparser.ast.type.ReferenceType;
import com.github.javaparser.ast.type.Type;
import com.github.javaparser.ast.type.TypeParameter;
import com.github.javaparser.ast.type.VoidType;
import com.github.javaparser.ast.type.WildcardType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The declarations of one Java source file as {@link ApiEntry signature lines}: every type, its supertypes and its
 * non-private members, with each type name fully qualified (through the file's imports, its package, its own nested
 * types and {@code java.lang}) and implicit modifiers written out (an interface method is {@code public abstract}, an
 * interface field {@code public static final}, a class without constructors has the default one). Annotations on
 * declarations are left out: they do not change what compiles against the type. The same code renders the real
 * Jenkins sources and the stand-ins, so that equal declarations give equal lines.
 */
final class SourceSignatures {

    private static final List<String> MODIFIER_ORDER = List.of("public", "protected", "private", "abstract", "default", "static",
            "final", "transient", "volatile", "synchronized", "native", "strictfp", "sealed", "non-sealed");

    static {
        StaticJavaParser.setConfiguration(new ParserConfiguration().setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_17));
    }

    /** Marks a type name that could not be resolved; a list line must never hold it. */
    static final String UNRESOLVED = "UNRESOLVED:";

    private final Predicate<String> typeExists;
    private final String source;
    private final CompilationUnit unit;
    private final String packageName;
    private final Map<String, String> nestedTypes = new HashMap<>();
    /** The type variables in scope, innermost first, each with its first bound (null: none). */
    private final Deque<Map<String, Type>> typeVariables = new ArrayDeque<>();
    private final List<ApiEntry> entries = new ArrayList<>();

    private SourceSignatures(CompilationUnit unit, String source, Predicate<String> typeExists) {
        this.unit = unit;
        this.source = source;
        this.typeExists = typeExists;
        this.packageName = unit.getPackageDeclaration().map(p -> p.getNameAsString()).orElse("");
    }

    /**
     * The lines of one source file.
     *
     * @param file       the file
     * @param source     where it came from, written into each line
     * @param typeExists whether a fully qualified name is a type (of the same source tree or the class path), for
     *                   names that come from the file's package or an on-demand import
     */
    static List<ApiEntry> of(Path file, String source, Predicate<String> typeExists) throws IOException {
        return of(StaticJavaParser.parse(Files.readString(file)), source, typeExists);
    }

    /** The lines of a parsed source. */
    static List<ApiEntry> of(CompilationUnit unit, String source, Predicate<String> typeExists) {
        SourceSignatures s = new SourceSignatures(unit, source, typeExists);
        for (TypeDeclaration<?> type : unit.getTypes()) {
            s.collectNames(type, s.packageName.isEmpty() ? "" : s.packageName + ".");
        }
        for (TypeDeclaration<?> type : unit.getTypes()) {
            s.type(type, s.qualified(type), false);
        }
        return s.entries;
    }

    private void collectNames(TypeDeclaration<?> type, String prefix) {
        String name = prefix + type.getNameAsString();
        nestedTypes.putIfAbsent(type.getNameAsString(), name);
        for (BodyDeclaration<?> member : type.getMembers()) {
            if (member instanceof TypeDeclaration<?> nested) {
                collectNames(nested, name + ".");
            }
        }
    }

    private String qualified(TypeDeclaration<?> type) {
        return nestedTypes.get(type.getNameAsString());
    }

    private void type(TypeDeclaration<?> type, String name, boolean inInterface) {
        if (isPrivate(type)) {
            return;
        }
        List<String> modifiers = modifiers(type);
        if (inInterface) {
            addIfMissing(modifiers, "public");
            addIfMissing(modifiers, "static");
        }
        NodeList<TypeParameter> parameters = type instanceof ClassOrInterfaceDeclaration c ? c.getTypeParameters() : new NodeList<>();
        typeVariables.push(scope(parameters));
        try {
            boolean isInterface = false;
            String kind;
            if (type instanceof ClassOrInterfaceDeclaration c && c.isInterface()) {
                kind = "interface";
                isInterface = true;
                modifiers.remove("abstract");
                modifiers.remove("static");
                c.getExtendedTypes().forEach(t -> add(name + ":super " + erasure(t), render(t)));
            } else if (type instanceof ClassOrInterfaceDeclaration c) {
                kind = "class";
                String superclass = c.getExtendedTypes().isEmpty() ? "java.lang.Object" : render(c.getExtendedTypes().get(0));
                add(name + ":extends", superclass);
                c.getImplementedTypes().forEach(t -> add(name + ":super " + erasure(t), render(t)));
            } else if (type instanceof EnumDeclaration e) {
                kind = "enum";
                modifiers.remove("static");
                modifiers.remove("final");
                e.getImplementedTypes().forEach(t -> add(name + ":super " + erasure(t), render(t)));
                for (EnumConstantDeclaration constant : e.getEntries()) {
                    add(name + "#" + constant.getNameAsString(), "public static final " + name + " " + constant.getNameAsString());
                }
            } else if (type instanceof AnnotationDeclaration) {
                kind = "@interface";
                isInterface = true;
                modifiers.remove("abstract");
                modifiers.remove("static");
            } else {
                throw new IllegalArgumentException("unsupported declaration " + type.getClass().getSimpleName() + " " + name);
            }
            add(name, join(modifiers) + kind + " " + name + typeParameters(parameters));
            boolean hasConstructor = false;
            for (BodyDeclaration<?> member : type.getMembers()) {
                if (member instanceof TypeDeclaration<?> nested) {
                    type(nested, name + "." + nested.getNameAsString(), isInterface);
                } else if (member instanceof FieldDeclaration field) {
                    field(name, field, isInterface);
                } else if (member instanceof ConstructorDeclaration constructor) {
                    hasConstructor = true;
                    callable(name, constructor, false, type);
                } else if (member instanceof MethodDeclaration method) {
                    callable(name, method, isInterface, type);
                } else if (member instanceof AnnotationMemberDeclaration element) {
                    String value = element.getDefaultValue().map(v -> " default " + v).orElse("");
                    add(name + "#" + element.getNameAsString() + "()",
                            "public abstract " + render(element.getType()) + " " + element.getNameAsString() + "()" + value);
                }
            }
            if (!hasConstructor && kind.equals("class")) {
                // the implicit default constructor has the class's access
                List<String> access = modifiers.stream().filter(m -> m.equals("public") || m.equals("protected")).toList();
                add(name + "#<init>()", join(new ArrayList<>(access)) + type.getNameAsString() + "()");
            }
        } finally {
            typeVariables.pop();
        }
    }

    private static Map<String, Type> scope(NodeList<TypeParameter> parameters) {
        Map<String, Type> scope = new HashMap<>();
        parameters.forEach(p -> scope.put(p.getNameAsString(), p.getTypeBound().isEmpty() ? null : p.getTypeBound().get(0)));
        return scope;
    }

    private void field(String owner, FieldDeclaration field, boolean inInterface) {
        if (isPrivate(field)) {
            return;
        }
        List<String> modifiers = modifiers(field);
        if (inInterface) {
            addIfMissing(modifiers, "public");
            addIfMissing(modifiers, "static");
            addIfMissing(modifiers, "final");
        }
        for (VariableDeclarator variable : field.getVariables()) {
            add(owner + "#" + variable.getNameAsString(), join(modifiers) + render(variable.getType()) + " " + variable.getNameAsString());
        }
    }

    private void callable(String owner, CallableDeclaration<?> callable, boolean inInterface, TypeDeclaration<?> type) {
        if (isPrivate(callable)) {
            return;
        }
        List<String> modifiers = modifiers(callable);
        if (inInterface) {
            addIfMissing(modifiers, "public");
            if (callable instanceof MethodDeclaration m && m.getBody().isEmpty() && !m.isStatic() && !m.isDefault()) {
                addIfMissing(modifiers, "abstract");
            }
        }
        NodeList<TypeParameter> parameters = callable.getTypeParameters();
        typeVariables.push(scope(parameters));
        try {
            boolean constructor = callable instanceof ConstructorDeclaration;
            String name = constructor ? "<init>" : callable.getNameAsString();
            List<String> erased = new ArrayList<>();
            List<String> rendered = new ArrayList<>();
            for (Parameter p : callable.getParameters()) {
                erased.add(erasure(p.getType()) + (p.isVarArgs() ? "[]" : ""));
                rendered.add(render(p.getType()) + (p.isVarArgs() ? "..." : ""));
            }
            List<String> exceptions = callable.getThrownExceptions().stream().map(this::render).sorted().toList();
            String result = constructor ? "" : render(((MethodDeclaration) callable).getType()) + " ";
            String declared = constructor ? type.getNameAsString() : callable.getNameAsString();
            String typeParameters = parameters.isEmpty() ? "" : typeParameters(parameters) + " ";
            add(owner + "#" + name + "(" + String.join(", ", erased) + ")",
                    join(modifiers) + typeParameters + result + declared + "(" + String.join(", ", rendered) + ")"
                            + (exceptions.isEmpty() ? "" : " throws " + String.join(", ", exceptions)));
        } finally {
            typeVariables.pop();
        }
    }

    private String typeParameters(NodeList<TypeParameter> parameters) {
        if (parameters.isEmpty()) {
            return "";
        }
        return parameters.stream()
                .map(p -> p.getNameAsString() + (p.getTypeBound().isEmpty() ? ""
                        : " extends " + p.getTypeBound().stream().map(this::render).collect(Collectors.joining(" & "))))
                .collect(Collectors.joining(", ", "<", ">"));
    }

    /** The type with every name fully qualified and its type arguments. */
    String render(Type type) {
        if (type instanceof PrimitiveType || type instanceof VoidType) {
            return type.asString();
        }
        if (type instanceof ArrayType array) {
            return render(array.getComponentType()) + "[]";
        }
        if (type instanceof WildcardType wildcard) {
            if (wildcard.getExtendedType().isPresent()) {
                return "? extends " + render(wildcard.getExtendedType().get());
            }
            return wildcard.getSuperType().map(t -> "? super " + render(t)).orElse("?");
        }
        if (type instanceof ClassOrInterfaceType c) {
            String arguments = c.getTypeArguments().map(args -> args.stream().map(this::render)
                    .collect(Collectors.joining(", ", "<", ">"))).orElse("");
            if (c.getScope().isPresent()) {
                return (isPackage(c.getScope().get()) ? c.getScope().get().asString() : render(c.getScope().get()))
                        + "." + c.getNameAsString() + arguments;
            }
            return resolve(c.getNameAsString()) + arguments;
        }
        throw new IllegalArgumentException("unsupported type " + type);
    }

    /** The erasure of a type: the fully qualified class without type arguments; a type variable's first bound. */
    String erasure(Type type) {
        if (type instanceof PrimitiveType || type instanceof VoidType) {
            return type.asString();
        }
        if (type instanceof ArrayType array) {
            return erasure(array.getComponentType()) + "[]";
        }
        if (type instanceof ClassOrInterfaceType c) {
            if (c.getScope().isEmpty() && isTypeVariable(c.getNameAsString())) {
                Type bound = bound(c.getNameAsString());
                return bound == null ? "java.lang.Object" : erasure(bound);
            }
            return c.getScope().map(s -> (isPackage(s) ? s.asString() : erasure(s)) + "." + c.getNameAsString())
                    .orElseGet(() -> resolve(c.getNameAsString()));
        }
        if (type instanceof ReferenceType) {
            return render(type);
        }
        throw new IllegalArgumentException("unsupported type " + type);
    }

    /** Whether the scope of a qualified type name is a package ({@code java.util} of {@code java.util.List}). */
    private static boolean isPackage(ClassOrInterfaceType scope) {
        // by convention: packages are lower case, types are not
        return Character.isLowerCase(scope.getNameAsString().charAt(0));
    }

    private boolean isTypeVariable(String name) {
        return typeVariables.stream().anyMatch(scope -> scope.containsKey(name));
    }

    private Type bound(String name) {
        return typeVariables.stream().filter(scope -> scope.containsKey(name)).findFirst().map(scope -> scope.get(name)).orElse(null);
    }

    private String resolve(String simpleName) {
        if (isTypeVariable(simpleName)) {
            return simpleName;
        }
        String nested = nestedTypes.get(simpleName);
        if (nested != null) {
            return nested;
        }
        for (ImportDeclaration i : unit.getImports()) {
            if (!i.isStatic() && !i.isAsterisk() && i.getName().getIdentifier().equals(simpleName)) {
                return i.getNameAsString();
            }
        }
        String samePackage = packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
        if (typeExists.test(samePackage)) {
            return samePackage;
        }
        for (ImportDeclaration i : unit.getImports()) {
            if (!i.isStatic() && i.isAsterisk() && typeExists.test(i.getNameAsString() + "." + simpleName)) {
                return i.getNameAsString() + "." + simpleName;
            }
        }
        if (typeExists.test("java.lang." + simpleName)) {
            return "java.lang." + simpleName;
        }
        if (simpleName.contains(".")) {
            return simpleName;
        }
        // a member type inherited from a supertype, say: fails the line only if the line is wanted
        return UNRESOLVED + simpleName;
    }

    private void add(String key, String signature) {
        entries.add(new ApiEntry(key, signature, source));
    }

    private static boolean isPrivate(NodeWithModifiers<?> node) {
        return node.hasModifier(Modifier.Keyword.PRIVATE);
    }

    private static List<String> modifiers(NodeWithModifiers<?> node) {
        List<String> list = new ArrayList<>();
        for (Modifier m : node.getModifiers()) {
            list.add(m.getKeyword().asString());
        }
        return list;
    }

    private static void addIfMissing(List<String> modifiers, String modifier) {
        if (!modifiers.contains(modifier)) {
            modifiers.add(modifier);
        }
    }

    private static String join(List<String> modifiers) {
        List<String> sorted = new ArrayList<>(modifiers);
        sorted.sort((a, b) -> Integer.compare(MODIFIER_ORDER.indexOf(a), MODIFIER_ORDER.indexOf(b)));
        return sorted.isEmpty() ? "" : String.join(" ", sorted) + " ";
    }
}
