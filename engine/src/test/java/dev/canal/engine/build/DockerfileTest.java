package dev.canal.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Cases from moby/buildkit frontend/dockerfile/parser (testfiles, testfiles-negative,
 * parser_test.go) and instructions/parse_test.go, each instruction shown in the spirit of the
 * parser's dump: {@code (run "echo hi")}.
 */
class DockerfileTest {

    @Test
    void jsonArraysAreExecFormAndAnythingElseIsShellForm() {
        assertEquals(
                List.of(
                        "(from \"scratch\")",
                        "(cmd)",
                        "(cmd \"\")",
                        "(cmd \"a\")",
                        "(cmd \"a\" \"b\")",
                        "(cmd \"a\" \"b\")",
                        "(cmd \"a\" \"b\")",
                        "(cmd \"a\" \"b\")",
                        "(cmd \"abc 123\" \"♥\" \"☃\" \"\\\" \\\\ / \\b \\f \\n \\r \\t \\x00\")",
                        "(cmd-shell \"\\\"[\\\\\\\"echo\\\\\\\", \\\\\\\"Phew\\\\\\\"]\\\"\")",
                        "(cmd-shell \"['echo','single quotes are invalid JSON']\")",
                        "(cmd-shell \"[\\\"echo\\\", \\\"Please, close the brackets when you're done\\\"\")",
                        "(cmd-shell \"[\\\"echo\\\", \\\"look ma, no quote!]\")",
                        "(cmd-shell \"'[\\\"echo\\\", \\\"Well, JSON in a string is JSON too?\\\"]'\")",
                        "(cmd-shell \"[\\\"a\\\"] trailing\")"),
                dump("""
                        FROM scratch
                        CMD []
                        CMD [""]
                        CMD ["a"]
                        CMD ["a","b"]
                        CMD [ "a", "b" ]
                        CMD [\t"a",\t"b"\t]
                        CMD\t[\t"a",\t"b"\t]\t
                        CMD ["abc 123", "♥", "☃", "\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0000"]
                        CMD "[\\"echo\\", \\"Phew\\"]"
                        CMD ['echo','single quotes are invalid JSON']
                        CMD ["echo", "Please, close the brackets when you're done"
                        CMD ["echo", "look ma, no quote!]
                        CMD '["echo", "Well, JSON in a string is JSON too?"]'
                        CMD ["a"] trailing
                        """));
        assertEquals(
                "dockerfile parse error on line 2: when using JSON array syntax, arrays must be comprised of strings only",
                failure("FROM scratch\nCMD [ \"echo\", [ \"nested json\" ] ]\n"));
    }

    @Test
    void continuationLinesJoinAsDockersParserJoinsThem() {
        assertEquals(
                List.of(
                        "(from \"ubuntu:14.04\")",
                        "(run-shell \"echo hello  world  goodnight    moon  lightning\")",
                        "(run-shell \"echo hello    world\")",
                        "(run-shell \"echo hello  world\")",
                        "(run-shell \"echo hello goodbyefrog\")",
                        "(run-shell \"echo hello  world\")",
                        "(run-shell \"echo hi   world  goodnight\")",
                        "(run-shell \"echo goodbyefrog\")",
                        "(run-shell \"echo goodbyefrog\")",
                        "(run-shell \"echo hello this is some more useful stuff\")"),
                dump("""
                        FROM ubuntu:14.04

                        RUN echo hello\\
                          world\\
                          goodnight  \\
                          moon\\
                          light\\
                        ning
                        RUN echo hello  \\
                          world
                        RUN echo hello  \\
                        world
                        RUN echo hello \\
                        goodbye\\
                        frog
                        RUN echo hello  \\ \s
                        world
                        RUN echo hi \\
                         \\
                         world \\
                        \\
                         good\\
                        \\
                        night
                        RUN echo goodbye\\
                        frog
                        RUN echo good\\
                        bye\\
                        frog

                        RUN echo hello \\
                        # this is a comment

                        # this is a comment with a blank line surrounding it

                        this is some more useful stuff
                        """));
        // A continuation at the end of the file just ends the instruction.
        assertEquals(
                List.of("(from \"alpine:3.5\")", "(run-shell \"something\")"),
                dump("FROM alpine:3.5\n\nRUN something \\"));
    }

    @Test
    void escapedBackslashesDoNotContinueTheLine() {
        assertEquals(
                List.of(
                        "(from \"hello-world\")",
                        "(env \"A\" \"path\")",
                        "(env \"B\" \"another\\\\\\\\path\")",
                        "(env \"C\" \"trailing\\\\\\\\backslash\\\\\\\\\")",
                        "(env \"D\" \"This should not be appended to C\")",
                        "(env \"E\" \"helloworld\")",
                        "(env \"F\" \"hello world\")",
                        "(env \"G\" \"hello world\")"),
                dump("""
                        # https://github.com/docker/for-win/issues/5254

                        FROM hello-world

                        ENV A path
                        ENV B another\\\\path
                        ENV C trailing\\\\backslash\\\\
                        ENV D This should not be appended to C
                        ENV E hello\\
                        \\
                        world
                        ENV F hello\\
                         \\
                        world
                        ENV G hello \\
                        \\
                        world
                        """));
    }

    @Test
    void theEscapeDirectiveChangesTheContinuationCharacter() {
        List<String> expected =
                List.of("(from \"image\")", "(label \"maintainer\" \"foo@bar.com\")", "(env \"GOPATH\" \"\\\\go\")");
        assertEquals(expected, dump("#escape = `\n\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH `\n\\go"));
        assertEquals(
                expected,
                dump("# escape = `\n# no blank line after the directives\nFROM image\n"
                        + "LABEL maintainer foo@bar.com\nENV GOPATH `\n\\go\n"));
        // After another comment it is an ordinary comment, and \ still continues lines.
        assertEquals(
                expected,
                dump("# Comment here.\n# escape = `\n\nFROM image\nLABEL maintainer foo@bar.com\nENV GOPATH \\\n\\go"));
        Dockerfile withSyntax = Dockerfile.parse("# syntax = docker/dockerfile\n# escape = `\n\nFROM `\n    image\n");
        assertEquals("image", withSyntax.stages().getFirst().baseImage());
        assertEquals("docker/dockerfile", withSyntax.syntax());
        assertEquals('`', withSyntax.escape());
        assertEquals(
                "dockerfile parse error on line 1: invalid escape token '$' does not match ` or \\",
                failure("# escape=$\nFROM scratch\n"));
        assertEquals(
                "dockerfile parse error on line 2: only one escape parser directive can be used",
                failure("# escape=`\n# escape=\\\nFROM scratch\n"));
    }

    @Test
    void escapesStayInTheWordsUntilTheyAreExpanded() {
        assertEquals(
                List.of(
                        "(from \"ubuntu:14.04\")",
                        "(label \"maintainer\" \"Erik \\\\\\\\Hollensbe <erik@hollensbe.org>\\\\\\\"\")",
                        "(run-shell \"apt-get \\\\update &&   apt-get \\\\\\\"install znc -y\")",
                        "(add \"\\\\conf\\\\\\\\\\\"\" \"/.znc\")",
                        "(run-shell \"foo bar baz\")",
                        "(cmd \"/usr\\\\\\\"/bin/znc\" \"-f\" \"-r\")"),
                dump("""
                        FROM ubuntu:14.04
                        LABEL maintainer Erik \\\\Hollensbe <erik@hollensbe.org>\\"

                        RUN apt-get \\update && \\
                          apt-get \\"install znc -y
                        ADD \\conf\\\\" /.znc

                        RUN foo \\

                        bar \\

                        baz

                        CMD [ "\\/usr\\\\\\"/bin/znc", "-f", "-r" ]
                        """));
    }

    @Test
    void envTakesBothFormsAndKeepsQuotesUntilExpansion() {
        assertEquals(
                List.of(
                        "(from \"ubuntu\")",
                        "(env \"name\" \"value\")",
                        "(env \"name\" \"value\")",
                        "(env \"name\" \"value\" \"name2\" \"value2\")",
                        "(env \"name\" \"\\\"value value1\\\"\")",
                        "(env \"name\" \"value\\\\ value2\")",
                        "(env \"name\" \"\\\"value'quote space'value2\\\"\")",
                        "(env \"name\" \"'value\\\"double quote\\\"value2'\")",
                        "(env \"name\" \"value\\\\ value2\" \"name2\" \"value2\\\\ value3\")",
                        "(env \"name\" \"\\\"a\\\\\\\"b\\\"\")",
                        "(env \"name\" \"\\\"a\\\\'b\\\"\")",
                        "(env \"name\" \"'a\\\\'b'\")",
                        "(env \"name\" \"'a\\\\'b''\")",
                        "(env \"name\" \"'a\\\\\\\"b'\")",
                        "(env \"name\" \"\\\"''\\\"\")",
                        "(env \"name\" \"value\" \"name1\" \"value1\" \"name2\" \"\\\"value2a            value2b\\\"\""
                                + " \"name3\" \"\\\"value3a\\\\n\\\\\\\"value3b\\\\\\\"\\\"\""
                                + " \"name4\" \"\\\"value4a\\\\\\\\nvalue4b\\\"\")"),
                dump("""
                        FROM ubuntu
                        ENV name value
                        ENV name=value
                        ENV name=value name2=value2
                        ENV name="value value1"
                        ENV name=value\\ value2
                        ENV name="value'quote space'value2"
                        ENV name='value"double quote"value2'
                        ENV name=value\\ value2 name2=value2\\ value3
                        ENV name="a\\"b"
                        ENV name="a\\'b"
                        ENV name='a\\'b'
                        ENV name='a\\'b''
                        ENV name='a\\"b'
                        ENV name="''"
                        # it must be the last line of the Dockerfile and it must end with \\
                        ENV name=value \\
                            name1=value1 \\
                            name2="value2a \\
                                   value2b" \\
                            name3="value3a\\n\\"value3b\\"" \\
                        \tname4="value4a\\\\nvalue4b" \\
                        """));
        assertEquals(
                "dockerfile parse error on line 3: ENV must have two arguments", failure("FROM busybox\n\nENV PATH\n"));
        assertEquals(
                "dockerfile parse error on line 2: Syntax error - can't find = in \"b\". Must be of the form: name=value",
                failure("FROM busybox\nENV a=1 b\n"));
        assertEquals("dockerfile parse error on line 2: LABEL names can not be blank", failure("FROM x\nLABEL =v\n"));
    }

    @Test
    void argsBeforeTheFirstFromAreMetaArgs() {
        Dockerfile dockerfile = Dockerfile.parse("ARG foo bar=baz\nFROM ubuntu\nARG abc=\"123 456\" def\n");
        assertEquals(
                List.of(new KeyValue("foo", null), new KeyValue("bar", "baz")),
                dockerfile.metaArgs().getFirst().declarations());
        assertEquals(
                List.of("(arg \"abc=\\\"123 456\\\"\" \"def\")"),
                dockerfile.stages().getFirst().instructions().stream()
                        .map(DockerfileTest::dump)
                        .toList());
        assertEquals("dockerfile parse error on line 2: ARG names can not be blank", failure("FROM x\nARG =v\n"));
    }

    @Test
    void mostInstructionsOfAnEdgeCaseGenerator() {
        assertEquals(
                List.of(
                        "(from \"busybox:buildroot-2014.02\")",
                        "(label \"maintainer\" \"docker <docker@docker.io>\")",
                        "(onbuild \"RUN [\\\"echo\\\", \\\"test\\\"]\")",
                        "(onbuild \"RUN echo test\")",
                        "(onbuild \"COPY . /\")",
                        "(run \"ls\" \"-la\")",
                        "(run \"echo\" \"'1234'\")",
                        "(run-shell \"echo \\\"1234\\\"\")",
                        "(run-shell \"echo 1234\")",
                        "(run-shell \"echo '1234' &&     echo \\\"456\\\" &&     echo 789\")",
                        "(run-shell \"sh -c 'echo root:testpass         > /tmp/passwd'\")",
                        "(run-shell \"mkdir -p /test /test2 /test3/test\")",
                        "(env \"SCUBA\" \"1 DUBA 3\")",
                        "(env \"SCUBA\" \"\\\"1 DUBA 3\\\"\")",
                        "(cmd \"echo\" \"test\")",
                        "(cmd-shell \"echo test\")",
                        "(cmd-shell \"echo \\\"test\\\"\")",
                        "(cmd-shell \"echo 'test'\")",
                        "(cmd-shell \"echo 'test' | wc -\")",
                        "(expose \"3000\")",
                        "(expose \"5000\" \"6000\" \"9000\")",
                        "(user \"docker\")",
                        "(user \"docker:root\")",
                        "(volume \"/test\")",
                        "(volume \"/test\" \"/test2\")",
                        "(volume \"/test3\")",
                        "(workdir \"/test\")",
                        "(add \".\" \"/\")",
                        "(copy \".\" \"copy\")",
                        "(entrypoint \"/usr/bin/redis-server\")",
                        "(stopsignal \"SIGKILL\")",
                        "(maintainer \"Someone <someone@example.com>\")",
                        "(shell \"/bin/bash\" \"-c\")"),
                dump("""
                        FROM busybox:buildroot-2014.02

                        LABEL maintainer docker <docker@docker.io>

                        ONBUILD RUN ["echo", "test"]
                        ONBUILD RUN echo test
                        onbuild COPY . /


                        # RUN Commands \\
                        # linebreak in comment \\
                        RUN ["ls", "-la"]
                        RUN ["echo", "'1234'"]
                        RUN echo "1234"
                        RUN echo 1234
                        RUN echo '1234' && \\
                            echo "456" && \\
                            echo 789
                        RUN    sh -c 'echo root:testpass \\
                                > /tmp/passwd'
                        RUN mkdir -p /test /test2 /test3/test

                        # ENV \\
                        ENV SCUBA 1 DUBA 3
                        ENV SCUBA "1 DUBA 3"

                        # CMD \\
                        CMD ["echo", "test"]
                        CMD echo test
                        CMD echo "test"
                        CMD echo 'test'
                        CMD echo 'test' | wc -

                        #EXPOSE\\
                        EXPOSE 3000
                        EXPOSE 9000 5000 6000

                        USER docker
                        USER docker:root

                        VOLUME ["/test"]
                        VOLUME ["/test", "/test2"]
                        VOLUME /test3

                        WORKDIR /test

                        ADD . /
                        COPY . copy
                        ENTRYPOINT [ "/usr/bin/redis-server" ]
                        STOPSIGNAL SIGKILL
                        MAINTAINER Someone <someone@example.com>
                        SHELL ["/bin/bash", "-c"]
                        """));
    }

    @Test
    void copyAndAddTakeJsonOrWordsAndTheirFlags() {
        assertEquals(
                List.of(
                        "(from \"ubuntu:14.04\")",
                        "(label \"maintainer\" \"Seongyeol Lim <seongyeol37@gmail.com>\")",
                        "(copy \".\" \"/go/src/github.com/docker/docker\")",
                        "(add \".\" \"/\")",
                        "(add \"null\" \"/\")",
                        "(copy \"nullfile\" \"/tmp\")",
                        "(add \"vimrc\" \"/tmp\")",
                        "(copy \"bashrc\" \"/tmp\")",
                        "(copy \"test file\" \"/tmp\")",
                        "(add \"test file\" \"/tmp/test file\")"),
                dump("""
                        FROM\tubuntu:14.04
                        LABEL\tmaintainer\tSeongyeol Lim <seongyeol37@gmail.com>

                        COPY\t.\t/go/src/github.com/docker/docker
                        ADD\t\t.\t/
                        ADD\t\tnull /
                        COPY\tnullfile /tmp
                        ADD\t\t[ "vimrc", "/tmp" ]
                        COPY\t[ "bashrc", "/tmp" ]
                        COPY\t[ "test file", "/tmp" ]
                        ADD\t\t[ "test file", "/tmp/test file" ]
                        """));
        Instruction.Copy copy =
                (Instruction.Copy) instruction("COPY --from=build --chown=1:2 --chmod=0755 --link a b* /dest/");
        assertEquals(List.of("a", "b*"), copy.sources());
        assertEquals("/dest/", copy.destination());
        assertEquals("build", copy.from());
        assertEquals("1:2", copy.chown());
        assertEquals("0755", copy.chmod());
        assertEquals(true, copy.link());
        Instruction.Copy plain = (Instruction.Copy) instruction("COPY -- --odd-name /tmp/");
        assertEquals(List.of("--odd-name"), plain.sources());
        assertNull(plain.from());
        Instruction.Add add = (Instruction.Add) instruction("ADD --chown=\"app user\" --link=false x.tar /");
        assertEquals("app user", add.chown());
        assertEquals(false, add.link());
        assertEquals(
                "dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided."
                        + " Destination could not be determined",
                failure("FROM x\nCOPY onlyone\n"));
    }

    @Test
    void badFlagsFailWithDockersMessages() {
        assertEquals(
                "dockerfile parse error on line 2: unknown flag: --user",
                failure("FROM x\nCOPY --user=me foo /tmp/\n"));
        assertEquals(
                "dockerfile parse error on line 2: unknown flag: --from", failure("FROM x\nADD --from=a foo /tmp/\n"));
        assertEquals(
                "dockerfile parse error on line 2: unknown flag: --doit", failure("FROM x\nCMD --doit [ \"a\" ]\n"));
        assertEquals(
                "dockerfile parse error on line 2: missing a value on flag: --from",
                failure("FROM x\nCOPY --from foo /tmp/\n"));
        assertEquals(
                "dockerfile parse error on line 2: duplicate flag specified: --from",
                failure("FROM x\nCOPY --from=a --from=b foo /tmp/\n"));
        assertEquals(
                "dockerfile parse error on line 2: expecting boolean value for flag --link, not: maybe",
                failure("FROM x\nCOPY --link=maybe foo /tmp/\n"));
        assertEquals(
                "dockerfile parse error on line 2: unknown flag: --mount",
                failure("FROM x\nRUN --mount=type=cache,target=/c make\n"));
    }

    @Test
    void healthchecksTakeDockersOptions() {
        Instruction.Healthcheck check = (Instruction.Healthcheck) instruction(
                "HEALTHCHECK --interval=5s --timeout=3s --retries=3 --start-period=1m30s --start-interval=500ms \\\n"
                        + "  CMD /app/check.sh --quiet");
        assertEquals(List.of("CMD-SHELL", "/app/check.sh --quiet"), check.test());
        assertEquals(Duration.ofSeconds(5), check.interval());
        assertEquals(Duration.ofSeconds(3), check.timeout());
        assertEquals(Duration.ofSeconds(90), check.startPeriod());
        assertEquals(Duration.ofMillis(500), check.startInterval());
        assertEquals(3, check.retries());
        Instruction.Healthcheck exec = (Instruction.Healthcheck) instruction("HEALTHCHECK --timeout=3s CMD [\"foo\"]");
        assertEquals(List.of("CMD", "foo"), exec.test());
        assertEquals(Duration.ZERO, exec.interval());
        assertEquals(0, exec.retries());
        assertEquals(
                List.of("CMD-SHELL", "a b"), ((Instruction.Healthcheck) instruction("HEALTHCHECK   CMD   a b")).test());
        assertEquals(List.of("NONE"), ((Instruction.Healthcheck) instruction("HEALTHCHECK none")).test());
        assertEquals(
                "dockerfile parse error on line 2: HEALTHCHECK requires at least one argument",
                failure("FROM x\nHEALTHCHECK\n"));
        assertEquals(
                "dockerfile parse error on line 2: Missing command after HEALTHCHECK CMD",
                failure("FROM x\nHEALTHCHECK CMD\n"));
        assertEquals(
                "dockerfile parse error on line 2: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)",
                failure("FROM x\nHEALTHCHECK CONNECT TCP 7000\n"));
        assertEquals(
                "dockerfile parse error on line 2: HEALTHCHECK NONE takes no arguments",
                failure("FROM x\nHEALTHCHECK NONE x\n"));
        assertEquals(
                "dockerfile parse error on line 2: time: invalid duration \"often\"",
                failure("FROM x\nHEALTHCHECK --interval=often CMD true\n"));
        assertEquals(
                "dockerfile parse error on line 2: Interval \"timeout\" cannot be less than 1ms",
                failure("FROM x\nHEALTHCHECK --timeout=10us CMD true\n"));
        assertEquals(
                "dockerfile parse error on line 2: --retries cannot be negative (-1)",
                failure("FROM x\nHEALTHCHECK --retries=-1 CMD true\n"));
    }

    @Test
    void stagesSplitAtFromWithTheirNames() {
        Dockerfile dockerfile = Dockerfile.parse("""
                ARG BASE=busybox
                FROM ${BASE} AS Build
                RUN make
                FROM --platform=linux/amd64 scratch as final
                COPY --from=build /out /
                FROM final
                """);
        assertEquals(3, dockerfile.stages().size());
        Stage build = dockerfile.stages().getFirst();
        assertEquals("${BASE}", build.baseImage());
        assertEquals("build", build.name());
        assertEquals(
                List.of("(run-shell \"make\")"),
                build.instructions().stream().map(DockerfileTest::dump).toList());
        assertEquals("linux/amd64", dockerfile.stages().get(1).from().platform());
        assertNull(dockerfile.stages().get(2).name());
        assertEquals(dockerfile.stages().subList(0, 2), dockerfile.stagesUpTo("FINAL"));
        assertEquals(dockerfile.stages(), dockerfile.stagesUpTo(null));
        assertEquals(
                "target stage \"nope\" could not be found",
                assertThrows(IllegalArgumentException.class, () -> dockerfile.stagesUpTo("nope"))
                        .getMessage());
        assertEquals(
                "dockerfile parse error on line 3: a stage name already used",
                failure("FROM x AS a\nFROM y\nFROM z AS A\n"));
        assertEquals(
                "dockerfile parse error on line 1: invalid name for build stage: \"1st\", name can't start with a number"
                        + " or contain symbols",
                failure("FROM x AS 1st\n"));
        assertEquals(
                "dockerfile parse error on line 1: FROM requires either one or three arguments", failure("FROM x y\n"));
    }

    @Test
    void linesAreNumberedFromTheFirstLineOfEachInstruction() {
        Dockerfile dockerfile = Dockerfile.parse("""
                # ESCAPE=\\



                FROM brimstone/ubuntu:14.04


                # TORUN -v /var/run/docker.sock:/var/run/docker.sock


                ENV GOPATH \\
                /go



                # Install the packages we need, clean up after them and us
                RUN apt-get update \\
                \t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.clean \\


                    && apt-get --no-install-recommends install -y git golang ca-certificates \\
                    && apt-get clean \\
                    && rm -rf /var/lib/apt/lists \\

                \t&& go get -v github.com/brimstone/consuldock \\
                    && mv $GOPATH/bin/consuldock /usr/local/bin/consuldock \\

                \t&& dpkg -l | awk '/^ii/ {print $2}' > /tmp/dpkg.dirty \\
                \t&& apt-get remove --purge -y $(diff /tmp/dpkg.clean /tmp/dpkg.dirty | awk '/^>/ {print $2}') \\
                \t&& rm /tmp/dpkg.* \\
                \t&& rm -rf $GOPATH




                """);
        Stage stage = dockerfile.stages().getFirst();
        assertEquals(5, stage.from().line());
        assertEquals(
                List.of(11, 17),
                stage.instructions().stream().map(Instruction::line).toList());
        assertEquals("ENV GOPATH /go", stage.instructions().getFirst().source());
        assertEquals(1, dockerfile.warnings().size());
    }

    @Test
    void emptyContinuationLinesAreWarnedAbout() {
        Dockerfile dockerfile = Dockerfile.parse("""

                FROM alpine:3.6

                RUN valid \\
                    continuation

                RUN something \\

                    following \\

                    more

                RUN another \\

                    thing

                RUN non-indented \\
                # this is a comment
                   after-comment

                RUN indented \\
                    # this is an indented comment
                    comment
                \t""");
        assertEquals(
                List.of(
                        "Empty continuation line found in: RUN something     following     more",
                        "Empty continuation line found in: RUN another     thing"),
                dockerfile.warnings());
        assertEquals(
                List.of(
                        "[WARNING]: Empty continuation line found in: RUN something     following     more",
                        "[WARNING]: Empty continuation line found in: RUN another     thing",
                        "[WARNING]: Empty continuation lines will become errors in a future release."),
                dockerfile.printedWarnings());
        assertEquals(List.of(), Dockerfile.parse("FROM x\nRUN a \\\n b\n").printedWarnings());
    }

    @Test
    void onbuildKeepsItsTriggerAndRefusesTheForbiddenOnes() {
        assertEquals(
                new Instruction.Onbuild(
                        "RUN echo \"built on $HOSTNAME\"", 2, "ONBUILD   RUN echo \"built on $HOSTNAME\""),
                Dockerfile.parse("FROM x\nONBUILD   RUN echo \"built on $HOSTNAME\"\n")
                        .stages()
                        .getFirst()
                        .instructions()
                        .getFirst());
        assertEquals(
                "dockerfile parse error on line 2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                failure("FROM x\nONBUILD ONBUILD RUN x\n"));
        assertEquals(
                "dockerfile parse error on line 2: FROM isn't allowed as an ONBUILD trigger",
                failure("FROM x\nONBUILD from y\n"));
        assertEquals(
                "dockerfile parse error on line 2: MAINTAINER isn't allowed as an ONBUILD trigger",
                failure("FROM x\nONBUILD MAINTAINER me\n"));
    }

    @Test
    void badDockerfilesFailNamingTheLine() {
        assertEquals(
                "dockerfile parse error on line 3: unknown instruction: BOGUS", failure("FROM x\nRUN a\nBOGUS bar\n"));
        assertEquals(
                "dockerfile parse error on line 1: unknown instruction: COPPY (did you mean COPY?)",
                failure("COPPY a b\n"));
        assertEquals(
                "dockerfile parse error on line 2: unknown instruction: workdr (did you mean workdir?)",
                failure("FROM x\nworkdr /a\n"));
        assertEquals(
                "dockerfile parse error on line 2: unknown flag: --chmown (did you mean chown?)",
                failure("FROM x\nCOPY --chmown=1 a b\n"));
        assertEquals("dockerfile parse error on line 1: file with no instructions", failure(""));
        assertEquals(
                "dockerfile parse error on line 3: file with no instructions",
                failure("# Hello\n# These are just comments\n\n"));
        assertEquals(
                "dockerfile parse error on line 2: no build stage in current context",
                failure("ARG A=1\nRUN echo $A\nFROM x\n"));
        assertEquals(
                "dockerfile parse error on line 2: no build stage in current context", failure("ARG A=1\nARG B\n"));
        assertEquals(
                "dockerfile parse error on line 2: WORKDIR requires exactly one argument",
                failure("FROM x\nWORKDIR\n"));
        assertEquals("dockerfile parse error on line 2: USER requires exactly one argument", failure("FROM x\nUSER\n"));
        assertEquals(
                "dockerfile parse error on line 2: EXPOSE requires at least one argument", failure("FROM x\nEXPOSE\n"));
        assertEquals(
                "dockerfile parse error on line 2: VOLUME requires at least one argument", failure("FROM x\nVOLUME\n"));
        assertEquals(
                "dockerfile parse error on line 2: VOLUME specified can not be an empty string",
                failure("FROM x\nVOLUME [\"/a\", \" \"]\n"));
        assertEquals(
                "dockerfile parse error on line 2: SHELL requires the arguments to be in JSON form",
                failure("FROM x\nSHELL bash -c\n"));
        assertEquals(
                "dockerfile parse error on line 2: SHELL requires at least one argument",
                failure("FROM x\nSHELL []\n"));
        assertEquals(
                "dockerfile parse error on line 2: RUN with a heredoc (<<EOF) is not supported: the classic builder has no heredocs",
                failure("FROM x\nRUN <<EOF\necho hi\nEOF\n"));
        assertEquals(
                "dockerfile parse error on line 2: COPY with a heredoc (<<EOF) is not supported: the classic builder has no heredocs",
                failure("FROM x\nCOPY <<-\"END\" /a\nhi\nEND\n"));
        // A here-string (<<<) and a shift in arithmetic are no heredocs.
        assertEquals(
                List.of("(from \"x\")", "(run-shell \"cat <<< hi; echo $((1<<2))\")"),
                dump("FROM x\nRUN cat <<< hi; echo $((1<<2))\n"));
    }

    @Test
    void theShellFormRunsUnderTheStagesShell() {
        List<String> shell = List.of("/bin/sh", "-c");
        assertEquals(
                List.of("/bin/sh", "-c", "echo $HOME"), ((Instruction.Run) instruction("RUN echo $HOME")).argv(shell));
        assertEquals(
                List.of("echo", "$HOME"), ((Instruction.Run) instruction("RUN [\"echo\", \"$HOME\"]")).argv(shell));
        assertEquals(
                List.of("/bin/bash", "-o", "pipefail", "-c", "a | b"),
                ((Instruction.Cmd) instruction("CMD a | b")).argv(List.of("/bin/bash", "-o", "pipefail", "-c")));
        assertEquals(List.of(), ((Instruction.Entrypoint) instruction("ENTRYPOINT []")).argv(shell));
    }

    @Test
    void anImagesOnbuildTriggersParseAsInstructionsOfTheirOwn() {
        assertEquals(
                List.of(new Instruction.Run(List.of("echo built"), true, 1, "RUN echo built")),
                Dockerfile.parseTrigger("RUN echo built"));
        Instruction.Copy copy = (Instruction.Copy)
                Dockerfile.parseTrigger("COPY --from= . /app").getFirst();
        assertNull(copy.from());
        for (String forbidden : List.of("FROM busybox", "maintainer me", "ONBUILD RUN x")) {
            assertThrows(DockerfileException.class, () -> Dockerfile.parseTrigger(forbidden), forbidden);
        }
        assertEquals(
                "dockerfile parse error on line 1: unknown instruction: BOGUS",
                assertThrows(DockerfileException.class, () -> Dockerfile.parseTrigger("BOGUS x"))
                        .getMessage());
    }

    @Test
    void instructionsCheckTheirArgumentCounts() {
        for (String instruction : List.of("MAINTAINER", "WORKDIR", "USER", "STOPSIGNAL")) {
            assertEquals(
                    "dockerfile parse error on line 2: " + instruction + " requires exactly one argument",
                    failure("FROM x\n" + instruction + "\n"));
        }
        for (String instruction : List.of("ENV", "LABEL", "ONBUILD", "HEALTHCHECK", "EXPOSE", "VOLUME")) {
            assertEquals(
                    "dockerfile parse error on line 2: " + instruction + " requires at least one argument",
                    failure("FROM x\n" + instruction + "\n"));
        }
        for (String instruction : List.of("ADD", "COPY")) {
            assertEquals(
                    "dockerfile parse error on line 2: " + instruction + " requires at least two arguments, but only"
                            + " one was provided. Destination could not be determined",
                    failure("FROM x\n" + instruction + " arg1\n"));
        }
        assertEquals(
                "dockerfile parse error on line 2: COPY requires at least two arguments, but only one was provided."
                        + " Destination could not be determined",
                failure("FROM x\nCOPY\t\n\t\tquux \\\n      bar"));
        assertEquals(
                "dockerfile parse error on line 2: unknown flag: --boo",
                failure("FROM x\nMAINTAINER --boo joe@example.com\n"));
        assertEquals(
                "dockerfile parse error on line 2: unknown instruction: foo (did you mean from?)",
                failure("FROM x\nfoo bar\n"));
        assertEquals(
                "dockerfile parse error on line 2: Interval \"interval\" cannot be less than 1ms",
                failure("FROM x\nHEALTHCHECK --interval=50ns CMD true\n"));
        assertEquals(
                Duration.ZERO,
                ((Instruction.Healthcheck) instruction("HEALTHCHECK --interval=0ms CMD true")).interval());
        assertEquals(
                Duration.ofMillis(1),
                ((Instruction.Healthcheck) instruction("HEALTHCHECK --interval=1ms CMD true")).interval());
    }

    @Test
    void aByteOrderMarkAndWindowsLineEndingsAreIgnored() {
        assertEquals(List.of("(from \"x\")", "(run-shell \"a  b\")"), dump("\uFEFFFROM x\r\nRUN a \\\r\n b\r\n"));
    }

    @Test
    void expandingAppliesDockersSubstitutionToTheInstructionsDockerExpands() {
        ShellLexer lexer = new ShellLexer('\\');
        java.util.Map<String, String> scope = java.util.Map.of("APP", "/srv/app", "PORTS", "80 443/udp", "U", "app");
        Dockerfile dockerfile = Dockerfile.parse("""
                FROM x
                ENV DIR="$APP/data" OLD=${APP:-none} QUOTED='$APP'
                WORKDIR ${APP}
                COPY --chown=$U:$U ["$APP/a b", "${APP}/c"]
                EXPOSE $PORTS 8080
                VOLUME $APP/v
                USER $U
                LABEL "com.example.dir"="$APP"
                STOPSIGNAL SIG${U:+TERM}
                RUN echo $APP
                """);
        List<String> expanded = dockerfile.stages().getFirst().instructions().stream()
                .map(instruction -> instruction.expand(lexer, scope))
                .map(DockerfileTest::dump)
                .toList();
        assertEquals(
                List.of(
                        "(env \"DIR\" \"/srv/app/data\" \"OLD\" \"/srv/app\" \"QUOTED\" \"$APP\")",
                        "(workdir \"/srv/app\")",
                        "(copy \"/srv/app/a b\" \"/srv/app/c\")",
                        "(expose \"80\" \"443/udp\" \"8080\")",
                        "(volume \"/srv/app/v\")",
                        "(user \"app\")",
                        "(label \"com.example.dir\" \"/srv/app\")",
                        "(stopsignal \"SIGTERM\")",
                        "(run-shell \"echo $APP\")"),
                expanded);
        assertEquals(
                "app:app",
                ((Instruction.Copy) dockerfile
                                .stages()
                                .getFirst()
                                .instructions()
                                .get(2)
                                .expand(lexer, scope))
                        .chown());
        DockerfileException bad = assertThrows(
                DockerfileException.class,
                () -> Dockerfile.parse("FROM x\nWORKDIR ${}\n")
                        .stages()
                        .getFirst()
                        .instructions()
                        .getFirst()
                        .expand(lexer, scope));
        assertEquals(
                "dockerfile parse error on line 2: failed to process \"${}\": syntax error: bad substitution",
                bad.getMessage());
        assertEquals(2, bad.line());
        assertEquals(
                "dockerfile parse error on line 1: base name (${NOTHING}) should not be blank",
                assertThrows(
                                DockerfileException.class,
                                () -> Dockerfile.parse("FROM ${NOTHING}\n")
                                        .stages()
                                        .getFirst()
                                        .from()
                                        .expand(lexer, scope))
                        .getMessage());
    }

    private static Instruction instruction(String line) {
        return Dockerfile.parse("FROM x\n" + line + "\n")
                .stages()
                .getFirst()
                .instructions()
                .getFirst();
    }

    private static String failure(String text) {
        return assertThrows(DockerfileException.class, () -> Dockerfile.parse(text))
                .getMessage();
    }

    private static List<String> dump(String text) {
        List<String> dumped = new ArrayList<>();
        for (Stage stage : Dockerfile.parse(text).stages()) {
            dumped.add(dump(stage.from()));
            stage.instructions().stream().map(DockerfileTest::dump).forEach(dumped::add);
        }
        return dumped;
    }

    /** The instruction's name and its words, Go-quoted as buildkit's AST dump shows them. */
    private static String dump(Instruction instruction) {
        List<String> words = switch (instruction) {
            case Instruction.From from ->
                Stream.of(from.image(), from.name()).filter(w -> w != null).toList();
            case Instruction.Arg arg ->
                arg.declarations().stream()
                        .map(d -> d.value() == null ? d.key() : d.key() + "=" + d.value())
                        .toList();
            case Instruction.Env env -> pairs(env.variables());
            case Instruction.Label label -> pairs(label.labels());
            case Instruction.Workdir workdir -> List.of(workdir.path());
            case Instruction.User user -> List.of(user.user());
            case Instruction.Shell shell -> shell.shell();
            case Instruction.Run run -> run.command();
            case Instruction.Cmd cmd -> cmd.command();
            case Instruction.Entrypoint entrypoint -> entrypoint.command();
            case Instruction.Copy copy ->
                Stream.concat(copy.sources().stream(), Stream.of(copy.destination()))
                        .toList();
            case Instruction.Add add ->
                Stream.concat(add.sources().stream(), Stream.of(add.destination()))
                        .toList();
            case Instruction.Expose expose -> expose.ports();
            case Instruction.Volume volume -> volume.paths();
            case Instruction.StopSignal signal -> List.of(signal.signal());
            case Instruction.Healthcheck check -> check.test();
            case Instruction.Onbuild onbuild -> List.of(onbuild.expression());
            case Instruction.Maintainer maintainer -> List.of(maintainer.name());
        };
        String name = instruction.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
        boolean shellForm = switch (instruction) {
            case Instruction.Run run -> run.shellForm() && !run.command().isEmpty();
            case Instruction.Cmd cmd -> cmd.shellForm() && !cmd.command().isEmpty();
            case Instruction.Entrypoint entrypoint ->
                entrypoint.shellForm() && !entrypoint.command().isEmpty();
            default -> false;
        };
        String quoted = words.stream().map(DockerfileTest::goQuote).collect(Collectors.joining(" "));
        return "(" + name + (shellForm ? "-shell" : "") + (quoted.isEmpty() ? "" : " " + quoted) + ")";
    }

    private static List<String> pairs(List<KeyValue> pairs) {
        return pairs.stream()
                .flatMap(pair -> Stream.of(pair.key(), pair.value()))
                .toList();
    }

    /** Go's %q for the characters these cases hold. */
    private static String goQuote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\b' -> quoted.append("\\b");
                case '\f' -> quoted.append("\\f");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                case 0 -> quoted.append("\\x00");
                default -> quoted.append(ch);
            }
        }
        return quoted.append('"').toString();
    }
}
