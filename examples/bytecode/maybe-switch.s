; case Just 42 of { Nothing -> 0; Just n -> n + 1 } as a Sense-VM image with metadata
; (constructor names, the type of main) and debug info.
.format sensevm 1
.int 42
.int 0
.int 1
.metadata {"mainType":{"kind":"int"},"dataTypes":[{"name":"Maybe","params":["a"],"constructors":[{"name":"Nothing","tag":0,"fields":[]},{"name":"Just","tag":1,"fields":[{"kind":"var","name":"a"}]}]}],"source":"maybe.cam"}

    LOADI #0                  ; 42
    PACK 1                    ; Just 42
    SWITCHI [0: nothing, 1: just]
nothing:
    LOADI #1
    STOP
just:                         ; env = the payload, 42
    PUSH
    LOADI #2
    ADDI
    STOP

; pc, length in bytes, file, line, column
.debug 0 6 "maybe.cam" 1 11
.debug 6 10 "maybe.cam" 1 6
.debug 16 4 "maybe.cam" 2 17
.debug 20 6 "maybe.cam" 3 17
